package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.remote.Reachability;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mark of a process writing a repository's refs through JGit, so that a survivor can tell a lock file of a dead
 * writer from one of a live writer: JGit's lock files ({@code packed-refs.lock}, {@code refs/...lock}) are created,
 * written and closed, so nothing about them shows whether their writer still lives. While annex-sync fetches into or
 * pushes into a repository ({@link RemoteOps}), it holds a shared fcntl lock on {@code .git/annex-sync/writers.lck}
 * there; {@code kill -9} frees it at once. A repository where no process holds it ({@link #anyWriter} false) has no
 * live annex-sync writer, and a lock file in it that is old enough was left by a dead one.
 *
 * <p>fcntl locks belong to the process, and closing any channel of the file drops them all: so one channel and one
 * lock per repository for the whole JVM, counted, and {@link #anyWriter} never opens the file while this JVM holds it.
 * Thread-safe: every change happens under the registry's monitor; only taking the shared lock may wait, for the few
 * milliseconds another process's {@link #anyWriter} holds it exclusively.
 */
public final class RefWriters {
    private static final Logger LOG = LoggerFactory.getLogger(RefWriters.class);
    /** The writer mark, relative to the git directory. */
    public static final String FILE = "annex-sync/writers.lck";
    /** Marks held by this JVM, by lock file. Guarded by {@code HELD} itself. */
    private static final Map<Path, Held> HELD = new HashMap<>();

    private RefWriters() {}

    private static final class Held {
        final FileChannel channel;
        final FileLock lock;
        int holders;

        Held(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }
    }

    /** A mark held; closing it lets go (the last holder in this JVM releases the lock). */
    public interface Mark extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Marks this process as a writer of the repository at {@code gitDir} until the mark is closed. Where the mark
     * cannot be made (a read-only repository), the write goes on unmarked: the caller's JGit write fails or succeeds
     * on its own, and a survivor then only has the age of a lock to go by.
     */
    public static Mark hold(Path gitDir) {
        Path file = fileOf(gitDir);
        synchronized (HELD) {
            Held held = HELD.get(file);
            if (held == null) {
                Optional<Held> made = open(file);
                if (made.isEmpty()) {
                    return () -> { };
                }
                held = made.get();
                HELD.put(file, held);
            }
            held.holders++;
        }
        return () -> release(file);
    }

    private static Optional<Held> open(Path file) {
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                return Optional.of(new Held(channel, channel.lock(0, Long.MAX_VALUE, true)));
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            LOG.debug("cannot mark {} as written by this process: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    private static void release(Path file) {
        synchronized (HELD) {
            Held held = HELD.get(file);
            if (held == null || --held.holders > 0) {
                return;
            }
            HELD.remove(file);
            try {
                held.channel.close(); // drops the lock
            } catch (IOException e) {
                LOG.debug("cannot close {}: {}", file, e.getMessage());
            }
        }
    }

    /**
     * Whether a process (this one included) may be writing the refs of {@code gitDir} through annex-sync now: it holds
     * the mark, or the mark cannot be tested (then true: nothing is to be removed on a guess).
     */
    public static boolean anyWriter(Path gitDir) {
        Path file = fileOf(gitDir);
        synchronized (HELD) {
            if (HELD.containsKey(file)) {
                return true;
            }
            if (!Files.exists(file)) {
                return false; // no annex-sync process has ever written here
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock(0, Long.MAX_VALUE, false);
                if (lock == null) {
                    return true;
                }
                lock.release();
                return false;
            } catch (IOException | RuntimeException e) {
                LOG.debug("cannot test {}: {}", file, e.getMessage());
                return true;
            }
        }
    }

    /**
     * The git directory of a path remote, {@code remote}'s path taken from {@code base} (the work tree, or the git
     * directory of a bare repository): {@code PATH/.git} of a repository with a work tree, else {@code PATH}; empty
     * for a remote over a network or one whose folder is not there.
     */
    public static Optional<Path> gitDirOf(RemoteConfig remote, Path base) {
        return remote.reachability(base) instanceof Reachability.Reachable r ? Optional.of(r.gitDir())
                : Optional.empty();
    }

    private static Path fileOf(Path gitDir) {
        return gitDir.toAbsolutePath().normalize().resolve(FILE);
    }
}
