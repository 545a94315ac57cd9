package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.content.ContentOps;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.nio.file.Path;
import java.util.List;
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
        List<AnnexedFile> files = Paths.select(repo, cwd(), paths, reporter, "copy");
        RemoteConfig remote = CommandTransfers.remote(repo, direction.to != null ? direction.to : direction.from);
        try (TerminalProgress progress = TerminalProgress.open(spec.commandLine().getErr(), reporter.json(), "copy");
                ContentOps ops = new ContentOps(repo);
                CommandTransfers transfers = CommandTransfers.start(repo, progress)) {
            if (direction.to != null) {
                transfers.copyTo(repo, files, remote, reporter, "copy");
            } else {
                transfers.get(repo, files, List.of(remote), ops, progress, reporter, "copy");
            }
        }
        return reporter.finish("copy");
    }
}
