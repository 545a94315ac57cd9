package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.RepoException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code annex-sync drop PATH…}: removes local content once enough other copies are verified and locked. */
@Command(
        name = "drop",
        description = {
            "Remove the local content of annexed files. Refuses, and keeps the content, unless annex.numcopies",
            "other copies were verified present and locked in remotes (or are in trusted repositories)."
        })
final class DropCommand extends RepoCommand {
    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files or folders (default: the current folder).")
    List<Path> paths = List.of();

    @Override
    int run(AnnexRepo repo, Reporter reporter) throws RepoException {
        for (AnnexedFile f : Paths.select(repo, cwd(), paths, reporter, "drop")) {
            reporter.item("drop", repo.drop(f));
        }
        return reporter.finish("drop");
    }
}
