package io.annexsync.app.assistant;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the lock files a killed git writer leaves behind ({@code .git/index.lock}, {@code HEAD.lock},
 * {@code packed-refs.lock}, {@code refs/...lock}), which would otherwise stop every later commit. A lock counts as
 * stale only when it is older than {@link #MIN_AGE} and no other process has open a file that only a command working
 * in this repository opens: the index, a lock file (C git keeps its lock open; JGit does not, but an annex-sync
 * command keeps its state database under {@code .git/annex-sync/} open), git-annex's own index and keys database.
 * Peers that use this repository as their remote (their daemons read its objects, write its object store and
 * journal) do not count. Read from {@code /proc}; where it cannot be read, nothing is removed. Stateless.
 */
final class StaleLocks {
    private static final Logger LOG = LoggerFactory.getLogger(StaleLocks.class);
    static final Duration MIN_AGE = Duration.ofSeconds(2);

    private StaleLocks() {}

    /** Removes the stale locks of {@code gitDir}; returns those removed. */
    static List<Path> clean(Path gitDir, Instant now) {
        List<Path> locks = candidates(gitDir);
        List<Path> removed = new ArrayList<>();
        if (locks.isEmpty() || otherProcessUses(gitDir)) {
            return removed;
        }
        for (Path lock : locks) {
            try {
                if (Files.getLastModifiedTime(lock).toInstant().isBefore(now.minus(MIN_AGE))
                        && Files.deleteIfExists(lock)) {
                    LOG.warn("removed {}, left by a git writer that was killed (no process uses the repository)",
                            lock);
                    removed.add(lock);
                }
            } catch (IOException e) {
                LOG.warn("cannot remove the stale lock {}: {}", lock, e.getMessage());
            }
        }
        return removed;
    }

    private static List<Path> candidates(Path gitDir) {
        List<Path> locks = new ArrayList<>();
        for (String name : List.of("index.lock", "HEAD.lock", "packed-refs.lock", "config.lock")) {
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

    /** Whether a process other than this one works in the repository at {@code gitDir} (true when unsure). */
    static boolean otherProcessUses(Path gitDir) {
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
                if (Long.parseLong(pid.getFileName().toString()) != self && hasOpenUnder(pid.resolve("fd"), real)) {
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

    private static boolean hasOpenUnder(Path fds, Path dir) {
        try (DirectoryStream<Path> links = Files.newDirectoryStream(fds)) {
            for (Path fd : links) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(dir) && isWorkingFile(dir.relativize(target).toString())) {
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
