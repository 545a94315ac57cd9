package io.annexsync.app.assistant;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One daemon per folder: an fcntl lock on {@code daemon.lock} held for the daemon's whole life (the kernel drops it
 * when the process dies, even by {@code kill -9}, so a crashed daemon never blocks the next), and its pid in {@code
 * daemon.pid} for {@code --stop} and {@code status}. Any process can ask whether a daemon runs ({@link #running}).
 * The holder closes it when it stops.
 */
public final class DaemonLock implements AutoCloseable {
    /** The lock files this process holds (real paths): fcntl locks belong to the process, not to a channel. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    /** The identity (inode) of each lock file this process holds, by its real path, to see it deleted or replaced. */
    private static final Map<Path, Object> HELD_FILES = new ConcurrentHashMap<>();

    private final DaemonFiles files;
    private final FileChannel channel;
    private final FileLock lock;
    private final Path key;

    private DaemonLock(DaemonFiles files, FileChannel channel, FileLock lock, Path key) {
        this.files = files;
        this.channel = channel;
        this.lock = lock;
        this.key = key;
    }

    /**
     * Takes the lock and writes this process's pid; empty when another daemon holds it.
     *
     * @throws IOException when the lock file cannot be made or written
     */
    public static Optional<DaemonLock> acquire(DaemonFiles files) throws IOException {
        Files.createDirectories(files.dir());
        Path key = heldKey(files);
        if (!HELD.add(key)) {
            // held by this very process: opening the file again and closing it would drop that lock (fcntl)
            return Optional.empty();
        }
        FileChannel channel;
        FileLock lock;
        try {
            channel = FileChannel.open(files.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = channel.tryLock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            throw e;
        }
        if (lock == null) {
            channel.close();
            HELD.remove(key);
            return Optional.empty();
        }
        fileKey(files.lock()).ifPresent(k -> HELD_FILES.put(key, k));
        Path tmp = files.dir().resolve("daemon.pid.tmp");
        Files.writeString(tmp, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, files.pid(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return Optional.of(new DaemonLock(files, channel, lock, key));
    }

    /**
     * The pid of the daemon running for these files, if one runs: the lock is held (by another process) and the pid
     * file names a live process. In the process that holds it, this process's pid, without opening the file (which
     * would drop the lock).
     */
    public static OptionalLong running(DaemonFiles files) {
        if (!Files.exists(files.lock())) {
            return OptionalLong.empty();
        }
        try {
            if (HELD.contains(heldKey(files))) {
                return OptionalLong.of(ProcessHandle.current().pid()); // this process: never open the file again
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        try (FileChannel channel = FileChannel.open(files.lock(), StandardOpenOption.READ)) {
            FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
            if (probe != null) {
                probe.release();
                return OptionalLong.empty();
            }
        } catch (IOException | OverlappingFileLockException e) {
            return OptionalLong.empty();
        }
        return readPid(files.pid()).stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                .orElse(false)).findFirst();
    }

    /**
     * Why the lock this process holds on {@code files} no longer keeps a second daemon out, if it does not: its file
     * was deleted or replaced (a second daemon would lock the new file). Empty while it holds, or when this process
     * holds no lock there.
     */
    public static Optional<String> lost(DaemonFiles files) {
        Object held;
        try {
            held = HELD_FILES.get(heldKey(files));
        } catch (IOException e) {
            return Optional.of("the folder of the daemon lock " + files.dir() + " is gone: " + e.getMessage());
        }
        if (held == null) {
            return Optional.empty();
        }
        Optional<Object> now = fileKey(files.lock());
        if (now.isPresent() && now.get().equals(held)) {
            return Optional.empty();
        }
        return Optional.of("the daemon lock " + files.lock() + " was " + (now.isEmpty() ? "deleted" : "replaced")
                + ", so another daemon could start in this folder");
    }

    private static Optional<Object> fileKey(Path file) {
        try {
            return Optional.ofNullable(Files.readAttributes(file, BasicFileAttributes.class).fileKey());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The lock file's real path, as {@link #HELD} knows it (its folder must exist). */
    private static Path heldKey(DaemonFiles files) throws IOException {
        return files.dir().toRealPath().resolve(files.lock().getFileName());
    }

    /** The pid in the pid file, if it holds one. */
    static OptionalLong readPid(Path pidFile) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Removes the pid file and releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(files.pid());
            lock.release();
        } finally {
            channel.close();
            HELD.remove(key);
            HELD_FILES.remove(key);
        }
    }
}
