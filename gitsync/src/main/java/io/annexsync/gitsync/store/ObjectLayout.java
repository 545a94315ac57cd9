package io.annexsync.gitsync.store;

import io.annexsync.gitsync.GitDirs;
import io.annexsync.gitsync.key.HashDirs;
import io.annexsync.gitsync.key.Key;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where objects live and which modes git-annex gives them (FORMAT.md §3.1, §3.3). Stateless and thread-safe; all
 * methods throw {@link IOException} and leave wrapping to {@link ObjectStore}.
 */
final class ObjectLayout {
    static final int CONTENT_MODE = 0444;
    static final int THIN_CONTENT_MODE = 0644;
    private static final int SHARED_DIR_MODE = 02775;
    private static final int KEY_DIR_MODE = 0555;

    private final Path annexDir;
    private final Path objectsDir;
    private final StoreOptions options;

    ObjectLayout(Path gitDir, StoreOptions options) {
        this.annexDir = gitDir.resolve("annex");
        this.objectsDir = annexDir.resolve("objects");
        this.options = options;
    }

    Path annexDir() {
        return annexDir;
    }

    Path objectsDir() {
        return objectsDir;
    }

    /** The paths where content of {@code key} may be, the one new content goes to first. */
    List<Path> candidates(Key key) {
        Path mixed = objectIn(HashDirs.mixed(key), key);
        Path lower = objectIn(HashDirs.lower(key), key);
        return options.bare() ? List.of(lower, mixed) : List.of(mixed);
    }

    /** Where new content of {@code key} goes. */
    Path target(Key key) {
        return candidates(key).get(0);
    }

    private Path objectIn(String hashDirs, Key key) {
        String keyFile = key.keyFile();
        return objectsDir.resolve(hashDirs).resolve(keyFile).resolve(keyFile);
    }

    /**
     * Makes the hash and key directories of {@code object}, the key directory left writable for the insert; returns
     * whether the key directory was made now (then it needs no check before it is protected). New directories get
     * the process's umask, as git-annex's do (0755 under umask 022), or the group-shared mode.
     */
    boolean createDirsFor(Path object) throws IOException {
        Path keyDir = object.getParent();
        Path hash2 = keyDir.getParent();
        if (!Files.isDirectory(hash2)) {
            createDir(hash2.getParent());
            createDir(hash2);
        }
        if (createDir(keyDir)) {
            return true;
        }
        makeWritable(keyDir);
        return false;
    }

    /** Protects a key directory made by {@link #createDirsFor} after its content went in. */
    void protectNewKeyDir(Path keyDir) throws IOException {
        setMode(keyDir, options.groupShared() ? SHARED_DIR_MODE : KEY_DIR_MODE);
    }

    private boolean createDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return false;
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            return false; // another thread made it meanwhile
        } catch (NoSuchFileException e) {
            GitDirs.createBelow(annexDir.getParent(), dir);
        }
        if (options.groupShared()) {
            setMode(dir, SHARED_DIR_MODE);
        }
        return true;
    }

    void makeWritable(Path keyDir) throws IOException {
        int mode = mode(keyDir);
        if ((mode & 0200) == 0) {
            setMode(keyDir, mode | 0200);
        }
    }

    /** Puts back git-annex's write protection on a key directory (not in a group-shared repository). */
    void protectKeyDir(Path keyDir) throws IOException {
        int wanted = options.groupShared() ? SHARED_DIR_MODE : KEY_DIR_MODE;
        if (Files.isDirectory(keyDir, LinkOption.NOFOLLOW_LINKS) && (mode(keyDir) & 07777) != wanted) {
            setMode(keyDir, wanted);
        }
    }

    /** Deletes a now empty key directory and the hash directories above it that became empty. */
    void deleteEmptyDirs(Path keyDir) throws IOException {
        Path dir = keyDir;
        for (int level = 0; level < 3 && dir.startsWith(objectsDir) && !dir.equals(objectsDir); level++) {
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException e) {
                return;
            } catch (NoSuchFileException e) {
                // a concurrent remover got there first
            }
            dir = dir.getParent();
        }
    }

    static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    static void setMode(Path path, int mode) throws IOException {
        Files.setAttribute(path, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
    }
}
