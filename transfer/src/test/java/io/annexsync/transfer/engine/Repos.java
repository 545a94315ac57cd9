package io.annexsync.transfer.engine;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.remote.Remotes;
import io.annexsync.gitsync.stage.AddOptions;
import io.annexsync.gitsync.testing.GitAnnex;
import io.annexsync.transfer.queue.TransferRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;

/** Real annex-sync repositories for the engine tests: one with content, one that wants it. */
final class Repos {
    private static final AddOptions LOCKED = new AddOptions(true, AddOptions.Force.LARGE, 1);

    private Repos() {}

    /** A fresh annex-sync repository at {@code dir}. */
    static AnnexRepo init(Path dir) throws Exception {
        Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call().close();
        AnnexRepo.init(dir, Optional.of(dir.getFileName().toString()), "test");
        AnnexRepo repo = AnnexRepo.open(dir);
        StoredConfig config = repo.git().getConfig();
        config.setString("user", null, "name", GitAnnex.NAME);
        config.setString("user", null, "email", GitAnnex.EMAIL);
        config.save();
        return repo;
    }

    /** Adds {@code sizes.length} files of random bytes of those sizes, locked, committed; their annexed files. */
    static List<AnnexedFile> addFiles(AnnexRepo repo, long seed, int... sizes) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            byte[] bytes = new byte[sizes[i]];
            random.nextBytes(bytes);
            Path file = repo.workTree().resolve("f" + seed + "-" + i + ".bin");
            Files.write(file, bytes);
            paths.add(file);
        }
        repo.add(paths, LOCKED, Progress.NONE);
        repo.commit("files");
        return repo.annexedFiles(paths);
    }

    /** Makes {@code other} remote {@code name} of {@code repo}. */
    static RemoteConfig addRemote(AnnexRepo repo, String name, AnnexRepo other) throws Exception {
        return Remotes.add(repo.git(), name, other.workTree());
    }

    static TransferRequest download(AnnexedFile f, RemoteConfig from, AnnexRepo fromRepo) {
        return new TransferRequest(f.key(), from.name(), fromRepo.uuid(), TransferRequest.Way.DOWNLOAD,
                Optional.of(f.path()), from.cost(), 0);
    }

    static TransferRequest upload(AnnexedFile f, RemoteConfig to, AnnexRepo toRepo) {
        return new TransferRequest(f.key(), to.name(), toRepo.uuid(), TransferRequest.Way.UPLOAD,
                Optional.of(f.path()), to.cost(), 0);
    }
}
