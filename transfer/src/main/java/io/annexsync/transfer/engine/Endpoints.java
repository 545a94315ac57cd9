package io.annexsync.transfer.engine;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.remote.PathRemote;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * The remotes the engine moves content with, opened once and kept open: path remotes (another clone, a mounted
 * drive), whose object stores are used directly. A remote that cannot be opened is tried again on the next request,
 * so a drive mounted later is used then; one whose repository is gone (a drive unmounted) is opened again.
 * Thread-safe; close it to release the remotes.
 */
final class Endpoints implements AutoCloseable {
    private final AnnexRepo repo;
    private final Map<String, PathRemote> open = new HashMap<>();

    Endpoints(AnnexRepo repo) {
        this.repo = repo;
    }

    /** The remote called {@code name}, opened; throws naming the remote when it is unknown or unreachable. */
    synchronized PathRemote open(String name) throws RepoException {
        PathRemote r = open.get(name);
        if (r != null && Files.isDirectory(r.repo().gitDir())) {
            return r;
        }
        if (r != null) { // its drive was unmounted: open it again, which says so, or finds it mounted again
            open.remove(name);
            r.close();
        }
        RemoteConfig config = repo.remotes().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new RepoException("there is no remote called " + name
                        + " (see 'annex-sync remote list')"));
        r = PathRemote.open(config, repo.workTree()); // its messages name the remote and what is wrong
        open.put(name, r);
        return r;
    }

    @Override
    public synchronized void close() {
        open.values().forEach(PathRemote::close);
        open.clear();
    }
}
