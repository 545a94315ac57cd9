package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.RepoException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code annex-sync fsck [PATH…]}: checks and repairs annexed content and its location log, as git-annex fsck. */
@Command(
        name = "fsck",
        description = {
            "Check annexed files: content size and checksum, location log, numcopies, permissions.",
            "Corrupt content is moved to .git/annex/bad; a wrong location log is fixed."
        })
final class FsckCommand extends RepoCommand {
    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files or folders (default: the current folder).")
    List<Path> paths = List.of();

    @Option(names = "--fast", description = "Skip checksums (size and location log only).")
    boolean fast;

    @Override
    int run(AnnexRepo repo, Reporter reporter) throws RepoException {
        List<AnnexedFile> files = Paths.select(repo, cwd(), paths, reporter, "fsck");
        try (TerminalProgress progress = TerminalProgress.open(spec.commandLine().getErr(), reporter.json(), "fsck")) {
            for (AnnexedFile f : files) {
                reporter.item("fsck", repo.fsck(f, fast, progress));
            }
        }
        return reporter.finish("fsck");
    }
}
