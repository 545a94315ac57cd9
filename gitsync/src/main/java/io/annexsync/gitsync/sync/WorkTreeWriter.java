package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.WorkTreePaths;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.store.ContentLock;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * Writes and deletes single work-tree files for a checkout, without git's filters: blob bytes as they are, links for
 * locked files, and for unlocked annexed files the content when the local store has it (a copy; the object stays
 * read-only), else the pointer. Every write goes to a temporary file beside the target, then is renamed over it.
 * Not thread-safe.
 */
final class WorkTreeWriter {
    private static final String REGULAR = "rw-r--r--";
    private static final String EXECUTABLE = "rwxr-xr-x";

    private final AnnexRepo repo;
    private final Blobs blobs;
    private final ObjectReader reader;

    WorkTreeWriter(AnnexRepo repo, Blobs blobs, ObjectReader reader) {
        this.repo = repo;
        this.blobs = blobs;
        this.reader = reader;
    }

    /**
     * Puts {@code entry} at {@code path}, replacing a file or an empty folder; returns the new file's attributes.
     *
     * @throws io.annexsync.gitsync.UnsafePathException when the path is unsafe or leads through a link
     */
    BasicFileAttributes write(String path, TreeEntry entry) throws IOException, RepoException {
        Path file = WorkTreePaths.resolve(repo.workTree(), path);
        Files.createDirectories(file.getParent());
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(file);
        }
        Path tmp = file.resolveSibling(".annex-sync-" + UUID.randomUUID() + ".tmp");
        try {
            fill(tmp, entry);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private void fill(Path tmp, TreeEntry entry) throws IOException, RepoException {
        if (entry.symlink()) {
            String target = new String(blobs.bytes(entry.id()), StandardCharsets.UTF_8);
            Files.createSymbolicLink(tmp, Path.of(target));
            return;
        }
        Optional<Key> key = blobs.annexKey(entry);
        if (key.isEmpty() || !copyContent(key.get(), tmp)) {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                reader.open(entry.id()).copyTo(out);
            }
        }
        boolean executable = FileMode.EXECUTABLE_FILE.equals(entry.mode());
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(executable ? EXECUTABLE : REGULAR));
    }

    /** Copies the content of {@code key} from the store, under a shared content lock; false when it is not here. */
    private boolean copyContent(Key key, Path tmp) throws IOException, RepoException {
        if (!repo.store().contains(key)) {
            return false;
        }
        try (ContentLock lock = repo.store().lockShared(key)) {
            if (!repo.store().contains(key)) {
                return false;
            }
            Files.copy(repo.store().objectPath(key), tmp, StandardCopyOption.REPLACE_EXISTING);
            return true;
        }
    }

    /**
     * Deletes the file at {@code path} (never following a link), then its folders as long as they are empty.
     *
     * @throws io.annexsync.gitsync.UnsafePathException when the path is unsafe or leads through a link
     */
    void delete(String path) throws IOException, RepoException {
        Path file = WorkTreePaths.resolve(repo.workTree(), path);
        Files.deleteIfExists(file);
        Path root = repo.workTree();
        for (Path dir = file.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException e) {
                return;
            }
        }
    }
}
