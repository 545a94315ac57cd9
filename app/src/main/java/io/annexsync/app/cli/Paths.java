package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.FileSelection;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.content.ItemResult;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns command-line paths into absolute ones, and into the annexed files a content command works on. */
final class Paths {
    private Paths() {}

    /** The given paths resolved against {@code cwd}; {@code cwd} itself when none are given. */
    static List<Path> resolve(Path cwd, List<Path> paths) {
        return paths.isEmpty() ? List.of(cwd) : paths.stream().map(p -> cwd.resolve(p).normalize()).toList();
    }

    /**
     * The annexed files under {@code paths} (relative to {@code cwd}; {@code cwd} when none are given). A path that
     * names nothing in the repository does not cancel the others: it is reported as git-annex reports it (an {@code
     * error: pathspec 'P' did not match any file(s) known to git} line for each, then {@code Did you forget to 'git
     * add'?}) and counted as one failure, as git-annex counts it, so the command ends with exit code 1. A file whose
     * pointer or annex symlink names no valid key (a path such as {@code ../..}, a name too long or with a control
     * character) is a failed item of {@code command} with a message that names it, and is never followed.
     */
    static List<AnnexedFile> select(AnnexRepo repo, Path cwd, List<Path> paths, Reporter reporter, String command)
            throws RepoException {
        List<Path> absolute = resolve(cwd, paths);
        Map<Path, Path> given = new HashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            given.putIfAbsent(absolute.get(i), paths.get(i));
        }
        FileSelection selection = repo.select(absolute);
        if (!selection.unmatched().isEmpty()) {
            for (Path p : selection.unmatched()) {
                reporter.warn("error: pathspec '" + given.getOrDefault(p, p)
                        + "' did not match any file(s) known to git");
            }
            reporter.warn("Did you forget to 'git add'?");
            reporter.fail();
        }
        for (FileSelection.Broken b : selection.broken()) {
            reporter.item(command, new ItemResult(b.path(), Optional.empty(), ItemResult.Status.FAILED, "",
                    b.path() + ": " + b.problem() + "; it is left alone"));
        }
        return selection.files();
    }
}
