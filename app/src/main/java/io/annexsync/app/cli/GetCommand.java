package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.content.ContentOps;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code annex-sync get PATH…}: fetches the content of annexed files from the cheapest remote that has it, through
 * the transfer engine (several files at once, resumable, visible in {@code annex-sync transfers}).
 */
@Command(name = "get", description = "Get the content of annexed files from a remote that has it (cheapest first).")
final class GetCommand extends RepoCommand {
    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files or folders (default: the current folder).")
    List<Path> paths = List.of();

    @Option(names = "--from", paramLabel = "REMOTE", description = "Only get from this remote.")
    String from;

    @Option(names = "--force", description = "Get even when the content would leave less than annex.diskreserve "
            + "free.")
    boolean force;

    @Override
    int run(AnnexRepo repo, Reporter reporter) throws RepoException {
        List<AnnexedFile> files = Paths.select(repo, cwd(), paths, reporter, "get");
        List<RemoteConfig> remotes = from == null
                ? CommandTransfers.usable(repo) : List.of(CommandTransfers.remote(repo, from));
        try (TerminalProgress progress = TerminalProgress.open(spec.commandLine().getErr(), reporter.json(), "get");
                ContentOps ops = new ContentOps(repo);
                CommandTransfers transfers = CommandTransfers.start(repo, progress, !force)) {
            transfers.get(repo, files, remotes, ops, progress, reporter, "get");
        }
        return reporter.finish("get");
    }
}
