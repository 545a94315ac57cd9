package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.CommitResult;
import io.annexsync.gitsync.RepoException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code annex-sync commit -m MSG}: commits what {@code add} staged, and the git-annex branch's journal. */
@Command(name = "commit", description = "Commit the staged changes (and record the git-annex branch's pending logs).")
final class CommitCommand extends RepoCommand {
    @Option(names = {"-m", "--message"}, required = true, paramLabel = "MSG", description = "The commit message.")
    String message;

    @Override
    int run(AnnexRepo repo, Reporter reporter) throws RepoException {
        Optional<CommitResult> result = repo.commit(message);
        if (reporter.json()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("command", "commit");
            o.put("commit", result.map(CommitResult::id).orElse(null));
            o.put("files-changed", result.map(CommitResult::filesChanged).orElse(0));
            o.put("success", true);
            reporter.object(o);
        } else if (result.isPresent()) {
            CommitResult r = result.get();
            reporter.human("[" + r.branch() + " " + r.id().substring(0, 7) + "] " + message + " ("
                    + r.filesChanged() + " file" + (r.filesChanged() == 1 ? "" : "s") + " changed)");
        } else {
            reporter.human("nothing to commit");
        }
        return ExitCode.OK;
    }
}
