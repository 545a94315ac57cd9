package io.annexsync.app.assistant;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one folder's daemon keeps its files, all under {@code .git/annex-sync/}: the lock held while it runs, its pid,
 * its log (rolled), its status for {@code annex-sync status}, and what the JVM itself printed.
 *
 * @param dir {@code .git/annex-sync}
 */
public record DaemonFiles(Path dir) {
    public DaemonFiles {
        Objects.requireNonNull(dir, "dir");
    }

    /** The files of the repository whose git directory is {@code gitDir}. */
    public static DaemonFiles of(Path gitDir) {
        return new DaemonFiles(gitDir.resolve("annex-sync"));
    }

    /** Locked (fcntl) for as long as the daemon runs; nothing else ever opens it in the daemon's process. */
    public Path lock() {
        return dir.resolve("daemon.lock");
    }

    /** The daemon's pid, written once it holds the lock. */
    public Path pid() {
        return dir.resolve("daemon.pid");
    }

    /** The daemon's log; rolled to {@code daemon.log.1} ... */
    public Path log() {
        return dir.resolve("daemon.log");
    }

    /** What the daemon is doing, rewritten atomically as it changes (JSON). */
    public Path status() {
        return dir.resolve("daemon.json");
    }

    /** The standard output and error of a daemon started in the background (JVM messages, a crash). */
    public Path console() {
        return dir.resolve("daemon.out");
    }
}
