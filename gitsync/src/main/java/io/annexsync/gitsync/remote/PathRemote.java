package io.annexsync.gitsync.remote;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A remote that is a repository on a local path (another clone, a mounted drive), opened for direct access to its
 * object store and git-annex branch. Refuses a repository whose uuid is not the one recorded for the remote, so a
 * drive mounted at the wrong place never receives or vouches for content. Close it after use.
 */
public final class PathRemote implements AutoCloseable {
    private final RemoteConfig config;
    private final AnnexRepo repo;

    private PathRemote(RemoteConfig config, AnnexRepo repo) {
        this.config = config;
        this.repo = repo;
    }

    /** Opens the remote's repository; fails with a clear message when it is not reachable or not what we expect. */
    public static PathRemote open(RemoteConfig config, Path relativeTo) throws RepoException {
        Objects.requireNonNull(config, "config");
        Path path = config.localPath(relativeTo)
                .orElseThrow(() -> new RepoException("remote " + config.name() + " (" + config.url()
                        + ") is not on a local path; only path remotes are supported in this version"));
        if (!Files.isDirectory(path)) {
            throw new RepoException("remote " + config.name() + " is not reachable: " + path + " does not exist"
                    + " (is the drive mounted?)");
        }
        AnnexRepo repo = AnnexRepo.open(path);
        if (config.uuid().isPresent() && !config.uuid().get().equals(repo.uuid())) {
            repo.close();
            throw new RepoException("remote " + config.name() + " at " + path + " has uuid " + repo.uuid()
                    + " but annex-uuid " + config.uuid().get() + " is recorded for it; refusing to use it");
        }
        return new PathRemote(config, repo);
    }

    /** The remote's settings. */
    public RemoteConfig config() {
        return config;
    }

    /** The remote's repository. */
    public AnnexRepo repo() {
        return repo;
    }

    @Override
    public void close() {
        repo.close();
    }
}
