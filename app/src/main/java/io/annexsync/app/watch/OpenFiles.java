package io.annexsync.app.watch;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which files of a work tree some process has open for writing now, read from {@code /proc} on Linux as git-annex's
 * assistant reads it with {@code lsof}: a file that its writer has closed has most likely stopped changing, so the
 * daemon may commit it without waiting out the whole quiet time.
 *
 * <p>One look reads the file-descriptor links of every process this user may see ({@code /proc/PID/fd/N}) and, for
 * those that point into the work tree, the open flags ({@code /proc/PID/fdinfo/N}); this process is skipped. A process
 * whose descriptors cannot be read (another user's) is taken to write nothing of ours. Where {@code /proc} cannot be
 * read at all the answer is empty: the caller then cannot tell, and waits. Stateless and thread-safe.
 */
public final class OpenFiles {
    private static final Path PROC = Path.of("/proc");
    /** {@code O_ACCMODE}: the access mode bits of the open flags ({@code O_RDONLY} is 0). */
    private static final int ACCESS_MODE = 3;

    private OpenFiles() {}

    /**
     * The paths (relative to {@code workTree}, '/'-separated) of files under it that another process has open for
     * writing; empty when that cannot be told (no readable {@code /proc}).
     */
    public static Optional<Set<String>> openForWriting(Path workTree) {
        Path root = workTree.toAbsolutePath().normalize();
        long self = ProcessHandle.current().pid();
        Set<String> writing = new HashSet<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(PROC, OpenFiles::isPid)) {
            for (Path pid : pids) {
                if (Long.parseLong(pid.getFileName().toString()) != self) {
                    collect(pid, root, writing);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.of(writing);
    }

    private static boolean isPid(Path p) {
        String name = p.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static void collect(Path pid, Path root, Set<String> writing) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
            for (Path fd : fds) {
                Optional<Path> target = target(fd);
                if (target.isPresent() && target.get().startsWith(root) && !target.get().equals(root)
                        && isOpenForWriting(pid.resolve("fdinfo").resolve(fd.getFileName()))) {
                    writing.add(root.relativize(target.get()).toString().replace(File.separatorChar, '/'));
                }
            }
        } catch (IOException | RuntimeException e) {
            // another user's process, or one that ended meanwhile: it holds nothing of ours open
        }
    }

    private static Optional<Path> target(Path fd) {
        try {
            return Optional.of(Files.readSymbolicLink(fd));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // closed meanwhile
        }
    }

    /** Whether the descriptor's {@code flags:} line (octal) has an access mode other than read-only. */
    static boolean isOpenForWriting(Path fdinfo) {
        try {
            for (String line : Files.readAllLines(fdinfo, StandardCharsets.US_ASCII)) {
                if (line.startsWith("flags:")) {
                    return (Integer.parseInt(line.substring("flags:".length()).trim(), 8) & ACCESS_MODE) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false; // closed meanwhile
        }
        return false;
    }
}
