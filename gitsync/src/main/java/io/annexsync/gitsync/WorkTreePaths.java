package io.annexsync.gitsync;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.StringJoiner;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.util.RawParseUtils;
import org.eclipse.jgit.util.SystemReader;

/**
 * The one check every repository-relative path from a tree, the index, a log or a peer passes before anything is
 * written or deleted for it in the work tree. A path may be written when git itself would check it out anywhere: no
 * empty, {@code .} or {@code ..} component, not absolute, no NUL, and no component that a file system could take for
 * {@code .git} — JGit's {@link ObjectChecker} rules as {@code DirCacheCheckout.checkValidPath} applies them
 * ({@code .git} in any case, {@code GIT~1}, {@code .git} with one trailing dot or with spaces, HFS+ ignorable
 * Unicode, always; Windows' reserved names and characters only on Windows, as a Linux file may well be called
 * {@code a:b}), plus git's {@code is_ntfs_dotgit} ({@code .git} followed by any run of dots and spaces, or by
 * {@code :} or {@code \}). And nothing is written through a link: {@link #resolve} refuses a path when a folder on the
 * way to it is a symbolic link or a file in the work tree. Stateless and thread-safe.
 */
public final class WorkTreePaths {
    private WorkTreePaths() {}

    /**
     * The git path of {@code file} inside {@code root} (both absolute and normalised): its names joined with {@code /},
     * each taken as it is, so that a backslash, a {@code *} or a leading {@code -} stays part of the name (a backslash
     * is no separator on Linux, and git never reads one as such).
     */
    public static String relative(Path root, Path file) {
        StringJoiner path = new StringJoiner("/");
        for (Path name : root.relativize(file)) {
            path.add(name.toString());
        }
        return path.toString();
    }

    /**
     * Whether a file that a scan of {@code workTree} listed at {@code path} is gone now. A name that is not valid UTF-8
     * reaches Java with U+FFFD for its bad bytes and so is never found by that name: it counts as still there.
     */
    public static boolean gone(Path workTree, String path) {
        return path.indexOf('\uFFFD') < 0 && !Files.exists(workTree.resolve(path), LinkOption.NOFOLLOW_LINKS);
    }

    /** Why {@code path} ({@code /}-separated, relative) must not be checked out; empty when it may. */
    public static Optional<String> problem(String path) {
        return problem(path.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #problem(String)} for the raw bytes of a tree path, as git stores them. */
    public static Optional<String> problem(byte[] raw) {
        if (raw.length == 0) {
            return Optional.of("an empty path");
        }
        if (raw[0] == '/') {
            return Optional.of("an absolute path");
        }
        ObjectChecker checker = checker();
        int start = 0;
        for (int i = 0; i <= raw.length; i++) {
            if (i == raw.length || raw[i] == '/') {
                Optional<String> why = componentProblem(checker, raw, start, i);
                if (why.isPresent()) {
                    return why;
                }
                start = i + 1;
            }
        }
        return Optional.empty();
    }

    private static ObjectChecker checker() {
        return new ObjectChecker().setSafeForMacOS(true).setSafeForWindows(SystemReader.getInstance().isWindows());
    }

    private static Optional<String> componentProblem(ObjectChecker checker, byte[] raw, int start, int end) {
        if (end == start) {
            return Optional.of("an empty folder name (//)");
        }
        boolean dots = raw[start] == '.' && (end - start == 1 || end - start == 2 && raw[start + 1] == '.');
        if (dots) {
            return Optional.of("a '" + name(raw, start, end) + "' component, which leads out of its folder");
        }
        if (ntfsDotGit(raw, start, end)) {
            return Optional.of("the component '" + name(raw, start, end) + "', which names git's own folder .git");
        }
        try {
            checker.checkPathSegment(raw, start, end);
            return Optional.empty();
        } catch (CorruptObjectException e) {
            return Optional.of("the component '" + name(raw, start, end) + "', which git refuses: " + e.getMessage());
        }
    }

    private static String name(byte[] raw, int start, int end) {
        return RawParseUtils.decode(raw, start, end);
    }

    /**
     * git's {@code is_ntfs_dotgit}: {@code .git} or {@code git~1} in any case, followed only by dots and spaces up to
     * the end or to {@code :} or {@code \} (what NTFS and FAT resolve to {@code .git}).
     */
    private static boolean ntfsDotGit(byte[] raw, int start, int end) {
        int len = start;
        while (len < end && raw[len] != ':' && raw[len] != '\\') {
            len++;
        }
        return onlyDotsAndSpacesAfter(raw, start, len, ".git") || onlyDotsAndSpacesAfter(raw, start, len, "git~1");
    }

    private static boolean onlyDotsAndSpacesAfter(byte[] raw, int start, int end, String prefix) {
        if (end - start < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase((char) (raw[start + i] & 0xff)) != prefix.charAt(i)) {
                return false;
            }
        }
        for (int i = start + prefix.length(); i < end; i++) {
            if (raw[i] != '.' && raw[i] != ' ') {
                return false;
            }
        }
        return true;
    }

    /**
     * The file {@code path} names in {@code workTree}, for writing or deleting it: refused when the path has a
     * {@link #problem}, or when a folder on the way is a symbolic link or not a folder (the write would land wherever
     * the link leads). The file itself may be a link: writers replace it by renaming over it, never through it.
     *
     * @throws UnsafePathException naming the path and the cause
     */
    public static Path resolve(Path workTree, String path) throws UnsafePathException {
        Optional<String> problem = problem(path);
        if (problem.isPresent()) {
            throw new UnsafePathException(path, problem.get());
        }
        Optional<String> blocked = blockedBy(workTree, path);
        if (blocked.isPresent()) {
            throw new UnsafePathException(path, blocked.get());
        }
        return workTree.resolve(path);
    }

    /**
     * Why a folder on the way to {@code path} (a checked path) keeps it from being written: the first one that is a
     * symbolic link or a file in the work tree; empty when every folder is a real folder or missing.
     */
    public static Optional<String> blockedBy(Path workTree, String path) {
        Path dir = workTree;
        String[] names = path.split("/");
        for (int i = 0; i < names.length - 1; i++) {
            dir = dir.resolve(names[i]);
            if (Files.isSymbolicLink(dir)) {
                return Optional.of(workTree.relativize(dir) + " is a symbolic link, so the file would be written "
                        + "wherever it leads");
            }
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(workTree.relativize(dir) + " is a file, not a folder");
            }
        }
        return Optional.empty();
    }
}
