package io.annexsync.app.assistant;

import io.annexsync.gitsync.remote.Reachability;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a remote coming back: a drive mounted, a folder that reappears. Each {@link #check} (on the timer thread,
 * every {@code assistant.remotecheck}) reads the mount table and looks whether each path remote's repository is
 * there; a remote that was not reachable and now is is handed to {@code back} (the daemon then fetches, merges,
 * pushes and moves content with it at once instead of at the next retry). The mount table only says when to log a
 * change; the answer is always the path itself, as a bind mount or a folder made by hand counts too. {@link #check} has
 * one caller (the timer thread); {@link #isUnreachable} may be asked from any thread.
 */
final class RemoteWatch {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteWatch.class);
    private static final Path MOUNTS = Path.of("/proc/self/mountinfo");

    private final Path workTree;
    private final Supplier<List<RemoteConfig>> remotes;
    private final StatusBoard board;
    private final Consumer<RemoteConfig> back;
    private final Map<String, Boolean> reachable = new ConcurrentHashMap<>();
    private Optional<String> mounts = Optional.empty();

    RemoteWatch(Path workTree, Supplier<List<RemoteConfig>> remotes, StatusBoard board, Consumer<RemoteConfig> back) {
        this.workTree = workTree;
        this.remotes = remotes;
        this.board = board;
        this.back = back;
    }

    /** Looks at every remote once; the first look only learns the state. */
    void check() {
        Optional<String> now = readMounts();
        if (mounts.isPresent() && !mounts.equals(now)) {
            LOG.info("the mount table changed; looking at the remotes");
        }
        mounts = now;
        for (RemoteConfig r : remotes.get()) {
            Reachability seen = r.reachability(workTree);
            Optional<Path> path = switch (seen) {
                case Reachability.Reachable p -> Optional.of(p.path());
                case Reachability.Unreachable u -> Optional.of(u.path());
                case Reachability.Unknown u -> Optional.empty();
            };
            if (path.isEmpty()) {
                // a network remote (ssh, a peer) is not looked at: a failed push marked it, the next change tries it
                if (reachable.remove(r.name()) == Boolean.FALSE) {
                    board.reachable(r.name(), true);
                }
                continue;
            }
            boolean there = seen instanceof Reachability.Reachable p && p.isRepository();
            Boolean before = reachable.put(r.name(), there);
            if (before == null || before != there) {
                board.reachable(r.name(), there);
            }
            if (before != null && !before && there) {
                LOG.info("remote {} is back at {}", r.name(), path.get());
                back.accept(r);
            } else if (before != null && before && !there) {
                LOG.info("remote {} is gone from {} (drive unmounted?)", r.name(), path.get());
            }
        }
    }

    /**
     * Records that {@code remote} could not be reached (a push or fetch failed for that reason), so that the next
     * check that finds it there syncs with it, even if the checks never saw it gone (it came back between two).
     */
    void unreachable(String remote) {
        if (reachable.put(remote, false) != Boolean.FALSE) {
            board.reachable(remote, false);
        }
    }

    /** Whether the last check found the remote's repository missing (false for a remote not checked yet). */
    boolean isUnreachable(String remote) {
        return Boolean.FALSE.equals(reachable.get(remote));
    }

    private static Optional<String> readMounts() {
        try {
            return Optional.of(Files.readString(MOUNTS));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
