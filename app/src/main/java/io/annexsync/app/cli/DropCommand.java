package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.content.ContentOps;
import io.annexsync.transfer.content.Dropper;
import io.annexsync.transfer.remote.Here;
import io.annexsync.transfer.remote.OpenRemotes;
import io.annexsync.transfer.remote.RemoteKinds;
import java.nio.file.Path;
import java.time.Clock;
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
        Here here = new Here(repo.uuid(), repo.workTree(), Clock.systemUTC());
        try (OpenRemotes remotes = new OpenRemotes(RemoteKinds.standard(), here, repo::remotes);
                ContentOps ops = new ContentOps(repo)) {
            Dropper dropper = new Dropper(repo, ops, remotes);
            for (AnnexedFile f : Paths.select(repo, cwd(), paths, reporter, "drop")) {
                reporter.item("drop", dropper.drop(f));
            }
        }
        return reporter.finish("drop");
    }
}
