package io.annexsync.transfer.remote;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.remote.Reachability;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one cache of open remotes of a repository: each remote is opened by its {@link RemoteKind} once and kept open.
 * A remote that cannot be opened is tried again on the next request, so a drive mounted later is used then; one
 * that is no longer reachable (a drive unmounted) is closed and opened again. Opening blocks (a drive, a network):
 * it happens on the threads that move content, never on the repository thread, which only looks at what is open
 * ({@link #ifOpen}). Thread-safe; close it to release the remotes.
 */
public final class OpenRemotes implements AutoCloseable {
    /** The repository's remotes as configured now. */
    @FunctionalInterface
    public interface Configs {
        List<RemoteConfig> get() throws RepoException;
    }

    private final RemoteKinds kinds;
    private final Here here;
    private final Configs configs;
    private final Map<String, Remote> open = new ConcurrentHashMap<>();

    /**
     * @param configs the repository's remotes as configured now (read again on every open, so a remote added while
     *     the engine runs is found)
     */
    public OpenRemotes(RemoteKinds kinds, Here here, Configs configs) {
        this.kinds = kinds;
        this.here = here;
        this.configs = configs;
    }

    /** The remote called {@code name}, opened; throws naming the remote when it is unknown or unreachable. */
    public synchronized Remote open(String name) throws RepoException {
        Remote r = open.get(name);
        if (r != null && !(r.reachability() instanceof Reachability.Unreachable)) {
            return r;
        }
        if (r != null) { // its drive was unmounted: open it again, which says so, or finds it mounted again
            open.remove(name);
            r.close();
        }
        RemoteConfig config = configs.get().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new RepoException("there is no remote called " + name
                        + " (see 'annex-sync remote list')"));
        r = kinds.open(config, here); // its messages name the remote and what is wrong
        open.put(name, r);
        return r;
    }

    /** The remote called {@code name} if it is open and reachable now; never opens it, so never blocks. */
    public Optional<Remote> ifOpen(String name) {
        return Optional.ofNullable(open.get(name)).filter(r -> !(r.reachability() instanceof Reachability.Unreachable));
    }

    @Override
    public synchronized void close() {
        open.values().forEach(Remote::close);
        open.clear();
    }
}
