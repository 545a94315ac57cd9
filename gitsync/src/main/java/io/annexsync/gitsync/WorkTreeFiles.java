package io.annexsync.gitsync;

import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.stage.IndexLocks;
import io.annexsync.gitsync.stage.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;

/**
 * Puts the content of unlocked files into the work tree after a get (always a copy: the object stays read-only and
 * separate), and back to a pointer after a drop, atomically
 * (temporary file beside it, then rename), refreshing the index's stat data so the file still shows as unchanged.
 * A work-tree file a person changed is never overwritten, and nothing is written through a link: a path whose folder
 * is a symbolic link in the work tree is refused ({@link WorkTreePaths#resolve}).
 */
public final class WorkTreeFiles {
    private WorkTreeFiles() {}

    /**
     * Replaces an unlocked file that still holds its pointer with its content; true if it did. The caller then
     * refreshes the index entries of the files it changed, once for a batch ({@link #refreshIndex}).
     *
     * @throws UnsafePathException when the path leads through a link (or is unsafe): nothing was written
     */
    public static boolean populate(AnnexRepo repo, AnnexedFile file) throws RepoException {
        if (file.locked()) {
            return false;
        }
        Path path = WorkTreePaths.resolve(repo.workTree(), file.path());
        try {
            if (!holdsPointerTo(path, file.key())) {
                return false;
            }
            Path object = repo.store().objectPath(file.key());
            replaceAtomically(path, tmp -> Files.copy(object, tmp, StandardCopyOption.REPLACE_EXISTING));
            return true;
        } catch (IOException e) {
            throw new RepoException("cannot put the content of " + file.path() + " in place: " + e.getMessage(), e);
        }
    }

    /**
     * Turns an unlocked file whose content is unmodified back into its pointer; true if it did. The caller then
     * refreshes the index, as after {@link #populate}.
     *
     * @throws UnsafePathException when the path leads through a link (or is unsafe): nothing was written
     */
    public static boolean depopulate(AnnexRepo repo, AnnexedFile file) throws RepoException {
        if (file.locked()) {
            return false;
        }
        Path path = WorkTreePaths.resolve(repo.workTree(), file.path());
        try {
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || holdsPointerTo(path, file.key())
                    || !holdsContentOf(path, file.key())) {
                return false;
            }
            replaceAtomically(path, tmp -> Files.write(tmp, Pointer.pointerBlob(file.key())));
            return true;
        } catch (IOException e) {
            throw new RepoException("cannot reset " + file.path() + " to a pointer: " + e.getMessage(), e);
        }
    }

    /**
     * Fails as {@link #populate} and {@link #depopulate} would for {@code file}, before anything else is done to it
     * (a drop checks this before it removes the content).
     *
     * @throws UnsafePathException when the path leads through a link (or is unsafe)
     */
    public static void checkWritable(AnnexRepo repo, AnnexedFile file) throws UnsafePathException {
        if (!file.locked()) {
            WorkTreePaths.resolve(repo.workTree(), file.path());
        }
    }

    /** Writes the new content of a work-tree file. */
    @FunctionalInterface
    private interface TempWriter {
        void write(Path tmp) throws IOException;
    }

    /**
     * Replaces {@code path} by what {@code writer} puts in a temporary file beside it, keeping its permissions (made
     * writable: a work-tree copy is never read-only, even when the object it came from is).
     */
    private static void replaceAtomically(Path path, TempWriter writer) throws IOException {
        Path tmp = Files.createTempFile(path.getParent(), ".annex-sync-", ".tmp");
        try {
            writer.write(tmp);
            Files.setPosixFilePermissions(tmp, permissionsOf(path));
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Whether the file at {@code path} holds exactly the pointer of {@code key}. */
    static boolean holdsPointerTo(Path path, Key key) throws IOException {
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.size(path) > Pointer.MAX_POINTER_SIZE) {
            return false;
        }
        return Pointer.parsePointer(Files.readAllBytes(path)).filter(key::equals).isPresent();
    }

    /** Whether the file's bytes are the content of {@code key} (size, then hash when the backend is known). */
    static boolean holdsContentOf(Path path, Key key) throws IOException {
        if (key.size().isPresent() && Files.size(path) != key.size().getAsLong()) {
            return false;
        }
        if (key.backend().isEmpty()) {
            return true;
        }
        MessageDigest digest = key.backend().get().newDigest();
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        String name = path.getFileName().toString();
        Key actual = Key.ofDigest(key.backend().get(), Files.size(path), digest.digest(), name);
        return Arrays.equals(hashPart(actual), hashPart(key));
    }

    private static byte[] hashPart(Key key) {
        String name = key.name();
        int dot = name.indexOf('.');
        return (dot < 0 ? name : name.substring(0, dot)).getBytes(StandardCharsets.US_ASCII);
    }

    private static Set<PosixFilePermission> permissionsOf(Path path) throws IOException {
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        p.add(PosixFilePermission.OWNER_WRITE);
        return p;
    }

    /** Brings the index entries' stat data in line with the files at {@code paths}, keeping their blobs; one write. */
    public static void refreshIndex(AnnexRepo repo, Collection<String> paths) throws RepoException {
        if (paths.isEmpty()) {
            return;
        }
        try {
            DirCache index = IndexLocks.lock(repo.git());
            try {
                for (String path : paths) {
                    DirCacheEntry entry = index.getEntry(path);
                    Path file = repo.workTree().resolve(path);
                    if (entry != null && Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                            && WorkTreePaths.blockedBy(repo.workTree(), path).isEmpty()) {
                        entry.setLength(Files.size(file));
                        entry.setLastModified(Files.getLastModifiedTime(file).toInstant());
                    }
                }
                index.write();
                index.commit();
            } finally {
                index.unlock();
            }
        } catch (IOException e) {
            throw new RepoException("cannot update the index: " + e.getMessage(), e);
        }
    }
}
