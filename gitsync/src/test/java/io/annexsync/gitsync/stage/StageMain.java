package io.annexsync.gitsync.stage;

import io.annexsync.gitsync.key.Backend;
import io.annexsync.gitsync.store.ObjectStore;
import io.annexsync.gitsync.store.StoreOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** A second JVM for the crash test: adds the work tree {@code args[0]} unlocked, printing a line per file done. */
public final class StageMain {
    private StageMain() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        try (Repository repo = new FileRepositoryBuilder().setWorkTree(work.toFile()).build();
                StatCache cache = StatCache.open(repo.getDirectory().toPath(), Clock.systemUTC());
                Stager stager = new Stager(repo, new ObjectStore(repo.getDirectory().toPath(), StoreOptions.DEFAULT),
                        cache, 2)) {
            StageOptions options = new StageOptions(false, false, Backend.SHA256E,
                    LargeFilesPolicy.load(repo, Optional.empty()), false);
            stager.stage(List.of(work), options, new StageProgress() {
                @Override
                public void fileDone(StageOutcome outcome) {
                    System.out.println("done " + outcome.path());
                    System.out.flush();
                }
            });
        }
    }
}
