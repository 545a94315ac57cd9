package io.annexsync.app.assistant;

import io.annexsync.gitsync.sync.RefWriters;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the lock files a killed git writer leaves behind ({@code .git/index.lock}, {@code HEAD.lock},
 * {@code packed-refs.lock}, {@code refs/...lock}, {@code gc.log.lock}), which would otherwise stop every later commit
 * or fetch: ours, or a peer's that pushed into this repository through a path remote. A lock counts as stale only
 * when it is older than {@link #MIN_AGE}, no annex-sync process holds the repository's writer mark ({@link
 * RefWriters}: every fetch and push holds it in each repository whose refs it writes, and {@code kill -9} frees it),
 * and no other process has open a file that only a command working in this repository opens: the index, a lock file
 * (C git keeps its lock open; JGit does not), anything under {@code .git/annex-sync/} (an annex-sync command's state
 * database, a peer's writer mark), git-annex's own index and keys database. Peers that use this repository as their
 * remote only to read its objects and write its object store and journal do not count; for a lock only this
 * repository's own processes write ({@link #isOwnLock}), a peer's writer mark and uploads do not count either. Read
 * from {@code /proc}; where it cannot be read, nothing is removed. A lock that stays longer than {@link #REPORT_AGE}
 * is reported ({@link Outcome#kept}), for {@code status}. Stateless.
 */
final class StaleLocks {
    private static final Logger LOG = LoggerFactory.getLogger(StaleLocks.class);
    static final Duration MIN_AGE = Duration.ofSeconds(2);
    /** How old a lock must be that was not removed before {@code status} names it. */
    static final Duration REPORT_AGE = Duration.ofSeconds(30);

    private StaleLocks() {}

    /**
     * What a cleaning did.
     *
     * @param removed the stale locks removed
     * @param kept the locks older than {@link #REPORT_AGE} left in place, with why
     */
    record Outcome(List<Path> removed, List<String> kept) {}

    /** Removes the stale locks of {@code gitDir}; returns those removed. */
    static List<Path> clean(Path gitDir, Instant now) {
        return cleanAll(gitDir, now).removed();
    }

    /** Removes the stale locks of {@code gitDir}; returns those removed and the old ones it had to leave. */
    static Outcome cleanAll(Path gitDir, Instant now) {
        List<Path> locks = candidates(gitDir);
        List<Path> removed = new ArrayList<>();
        if (locks.isEmpty()) {
            return new Outcome(removed, List.of());
        }
        Optional<String> peersBusy = RefWriters.anyWriter(gitDir)
                ? Optional.of("an annex-sync process writes its refs")
                : otherProcessUses(gitDir, true) ? Optional.of("another process works in the repository")
                : Optional.empty();
        Optional<String> ownBusy = peersBusy.isEmpty() ? peersBusy
                : otherProcessUses(gitDir, false) ? Optional.of("another process works in the repository")
                : Optional.empty();
        List<String> kept = new ArrayList<>();
        for (Path lock : locks) {
            Optional<String> busy = isOwnLock(gitDir.relativize(lock).toString()) ? ownBusy : peersBusy;
            try {
                Instant modified = Files.getLastModifiedTime(lock).toInstant();
                if (busy.isEmpty() && modified.isBefore(now.minus(MIN_AGE)) && Files.deleteIfExists(lock)) {
                    LOG.warn("removed {}, left by a git writer that was killed (no process writes the repository)",
                            lock);
                    removed.add(lock);
                } else if (busy.isPresent() && modified.isBefore(now.minus(REPORT_AGE))) {
                    kept.add(lock + " (" + Duration.between(modified, now).toSeconds() + " s old; not removed: "
                            + busy.get() + ")");
                }
            } catch (IOException e) {
                kept.add(lock + " (cannot remove it: " + e.getMessage() + ")");
                LOG.warn("cannot remove the stale lock {}: {}", lock, e.getMessage());
            }
        }
        return new Outcome(removed, kept);
    }

    private static List<Path> candidates(Path gitDir) {
        List<Path> locks = new ArrayList<>();
        for (String name : List.of("index.lock", "HEAD.lock", "packed-refs.lock", "config.lock", "gc.log.lock")) {
            Path p = gitDir.resolve(name);
            if (Files.exists(p)) {
                locks.add(p);
            }
        }
        Path refs = gitDir.resolve("refs");
        if (Files.isDirectory(refs)) {
            try (Stream<Path> walk = Files.walk(refs)) {
                walk.filter(p -> p.getFileName().toString().endsWith(".lock") && Files.isRegularFile(p))
                        .forEach(locks::add);
            } catch (IOException | RuntimeException e) {
                LOG.debug("cannot look for lock files under {}: {}", refs, e.getMessage());
            }
        }
        return locks;
    }

    /**
     * Whether only a process working in this repository itself writes the lock at {@code relative} (in the git
     * directory): the index, HEAD, the config, a branch other than a {@code synced/} one, annex-sync's own refs. Peers
     * push only into {@code refs/heads/synced/}, and fetches write {@code refs/remotes/} and {@code packed-refs}, so
     * neither a peer's writer mark nor its uploads into this repository keep such a lock.
     */
    static boolean isOwnLock(String relative) {
        return relative.equals("index.lock") || relative.equals("HEAD.lock") || relative.equals("config.lock")
                || relative.startsWith("refs/annex-sync/")
                || relative.startsWith("refs/heads/") && !relative.startsWith("refs/heads/synced/");
    }

    /** Whether a process other than this one works in the repository at {@code gitDir} (true when unsure). */
    static boolean otherProcessUses(Path gitDir) {
        return otherProcessUses(gitDir, true);
    }

    /**
     * Whether a process other than this one works in the repository at {@code gitDir} (true when unsure); with
     * {@code countPeers} false, a peer that only holds the writer mark or uploads content into it does not count.
     */
    static boolean otherProcessUses(Path gitDir, boolean countPeers) {
        Path proc = Path.of("/proc");
        long self = ProcessHandle.current().pid();
        Path real;
        try {
            real = gitDir.toRealPath();
        } catch (IOException e) {
            return true;
        }
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString()
                .matches("\\d+"))) {
            for (Path pid : pids) {
                if (Long.parseLong(pid.getFileName().toString()) != self
                        && hasOpenUnder(pid.resolve("fd"), real, countPeers)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** Whether a process with this file of the git directory open works in the repository itself. */
    static boolean isWorkingFile(String relative) {
        return relative.equals("index") || relative.endsWith(".lock") || relative.startsWith("annex-sync/")
                || relative.equals("annex/index") || relative.startsWith("annex/keysdb");
    }

    /** Whether this file of the git directory is one a peer opens while it pushes or uploads into the repository. */
    static boolean isPeerFile(String relative) {
        return relative.equals(RefWriters.FILE) || relative.startsWith("annex-sync/partial/");
    }

    private static boolean hasOpenUnder(Path fds, Path dir, boolean countPeers) {
        try (DirectoryStream<Path> links = Files.newDirectoryStream(fds)) {
            for (Path fd : links) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    String relative = target.startsWith(dir) ? dir.relativize(target).toString() : "";
                    if (isWorkingFile(relative) && (countPeers || !isPeerFile(relative))) {
                        return true;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            // another user's process, or gone meanwhile: it cannot hold our files open as us
        }
        return false;
    }
}
