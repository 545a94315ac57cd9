package io.annexsync.gitsync.stage;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;
import org.eclipse.jgit.util.FS;

/**
 * The one place that tells the work-tree files annex-sync may read from those it must never open: a FIFO, a socket or
 * a device file (anything that is not a regular file, a folder or a symbolic link, by {@code lstat}, never following a
 * link). Opening a FIFO blocks until a writer comes, so such a file is skipped, as git and git-annex skip it: never
 * hashed, never staged, never deleted from the index, listed as ignored. Every walk of the work tree uses
 * {@link #iterator}, whose entry for such a file has mode {@link FileMode#MISSING} (JGit would call it a regular file
 * and read it to compute its id); the walkers report it through {@link #isSpecial}. Stateless and thread-safe.
 */
public final class SpecialFiles {
    /** The end of every message about a skipped file. */
    private static final String WHY = ", not a regular file: git and git-annex ignore it, so annex-sync never reads it";

    private SpecialFiles() {}

    /**
     * A work-tree iterator as JGit's {@code new FileTreeIterator(repo)}, but whose entries for special files have mode
     * {@link FileMode#MISSING} and an all-zero id: nothing ever opens them. The {@code lstat} JGit makes of every entry
     * anyway tells regular files, folders and links; only the others cost one more.
     */
    public static FileTreeIterator iterator(Repository repo) {
        return new FileTreeIterator(repo, SpecialFiles::mode);
    }

    private static FileMode mode(File file, FS.Attributes attributes) {
        boolean other = !attributes.isRegularFile() && !attributes.isDirectory() && !attributes.isSymbolicLink();
        // neither of the three: special, or not found by its name (a name that is not UTF-8, which the stager
        // refuses as such, or a file gone since the listing), which one more lstat tells apart
        if (other && kind(file.toPath()).isPresent()) {
            return FileMode.MISSING;
        }
        return FileTreeIterator.DefaultFileModeStrategy.INSTANCE.getMode(file, attributes);
    }

    /** Whether the walk's current work-tree entry is a special file (see {@link #iterator}). */
    public static boolean isSpecial(WorkingTreeIterator entry) {
        return entry.getEntryRawMode() == FileMode.TYPE_MISSING;
    }

    /**
     * What {@code file} is when it is a special file ({@code "a FIFO"}, {@code "a socket"}, {@code "a character
     * device"}, {@code "a block device"}); empty for a regular file, a folder, a symbolic link or nothing. One
     * {@code lstat}.
     */
    public static Optional<String> kind(Path file) {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty(); // gone, or no unix view: whoever opens it next reports what is wrong
        }
        return switch (mode & 0170000) {
            case 0010000 -> Optional.of("a FIFO");
            case 0140000 -> Optional.of("a socket");
            case 0020000 -> Optional.of("a character device");
            case 0060000 -> Optional.of("a block device");
            case 0100000, 0040000, 0120000 -> Optional.empty();
            default -> Optional.of("a special file");
        };
    }

    /** Why a special file of that kind is skipped, for a person: "it is a FIFO, not a regular file: git…". */
    public static String why(String kind) {
        return "it is " + kind + WHY;
    }

    /** {@link #why} for {@code file}, with "a special file" when it is gone meanwhile. */
    static String why(Path file) {
        return why(kind(file).orElse("a special file"));
    }
}
