package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.RepoException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code annex-sync get PATH…}: fetches the content of annexed files from the cheapest remote that has it. */
@Command(name = "get", description = "Get the content of annexed files from a remote that has it (cheapest first).")
final class GetCommand extends RepoCommand {
    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files or folders (default: the current folder).")
    List<Path> paths = List.of();

    @Option(names = "--from", paramLabel = "REMOTE", description = "Only get from this remote.")
    String from;

    @Override
    int run(AnnexRepo repo, Reporter reporter) throws RepoException {
        List<AnnexedFile> files = repo.annexedFiles(Paths.resolve(cwd(), paths));
        try (TerminalProgress progress = TerminalProgress.open(spec.commandLine().getErr(), reporter.json(), "get")) {
            for (AnnexedFile f : files) {
                reporter.item("get", repo.get(f, Optional.ofNullable(from), progress));
            }
        }
        return reporter.finish("get");
    }
}
