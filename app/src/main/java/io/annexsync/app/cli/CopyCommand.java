package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.RepoException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code annex-sync copy --to R | --from R PATH…}: copies content to or from one remote. */
@Command(name = "copy", description = "Copy the content of annexed files to a remote, or from one.")
final class CopyCommand extends RepoCommand {
    @ArgGroup(multiplicity = "1")
    Direction direction;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files or folders (default: the current folder).")
    List<Path> paths = List.of();

    static final class Direction {
        @Option(names = "--to", required = true, paramLabel = "REMOTE", description = "Send content to REMOTE.")
        String to;

        @Option(names = "--from", required = true, paramLabel = "REMOTE", description = "Fetch content from REMOTE.")
        String from;
    }

    @Override
    int run(AnnexRepo repo, Reporter reporter) throws RepoException {
        List<AnnexedFile> files = repo.annexedFiles(Paths.resolve(cwd(), paths));
        try (TerminalProgress progress = TerminalProgress.open(spec.commandLine().getErr(), reporter.json(), "copy")) {
            for (AnnexedFile f : files) {
                if (direction.to != null) {
                    reporter.item("copy", repo.copyTo(f, direction.to, progress));
                } else {
                    reporter.item("copy", repo.get(f, Optional.of(direction.from), progress));
                }
            }
        }
        return reporter.finish("copy");
    }
}
