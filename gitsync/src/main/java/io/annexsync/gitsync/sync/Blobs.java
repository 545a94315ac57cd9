package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.stage.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * Reads and writes the blobs of one merge: which entries are annexed (symlink target or pointer, FORMAT.md §4), and
 * locked links re-aimed for a new path. Not thread-safe (one reader and one inserter); the caller closes them.
 */
final class Blobs {
    private final AnnexRepo repo;
    private final ObjectReader reader;
    private final ObjectInserter inserter;
    private final Map<ObjectId, Optional<Key>> keys = new HashMap<>();

    Blobs(AnnexRepo repo, ObjectReader reader, ObjectInserter inserter) {
        this.repo = repo;
        this.reader = reader;
        this.inserter = inserter;
    }

    /** The annex key an entry names: a locked file's link target or an unlocked file's pointer blob. */
    Optional<Key> annexKey(TreeEntry entry) throws IOException {
        if (!entry.symlink() && !entry.regular()) {
            return Optional.empty();
        }
        Optional<Key> known = keys.get(entry.id());
        if (known == null) {
            known = readKey(entry);
            keys.put(entry.id(), known);
        }
        return known;
    }

    private Optional<Key> readKey(TreeEntry entry) throws IOException {
        ObjectLoader loader = reader.open(entry.id(), Constants.OBJ_BLOB);
        if (loader.getSize() > Pointer.MAX_POINTER_SIZE) {
            return Optional.empty();
        }
        byte[] bytes = loader.getBytes();
        if (entry.symlink()) {
            return Pointer.parseLinkTarget(new String(bytes, StandardCharsets.UTF_8));
        }
        return Pointer.parsePointer(bytes);
    }

    /** What identifies the content for rename detection: the key of an annexed file, else the blob id. */
    Object identity(TreeEntry entry) throws IOException {
        Optional<Key> key = annexKey(entry);
        return key.isPresent() ? key.get() : entry.id();
    }

    /** The blob's bytes (files stored in git are small enough to merge in memory). */
    byte[] bytes(ObjectId id) throws IOException {
        return reader.open(id, Constants.OBJ_BLOB).getCachedBytes(Integer.MAX_VALUE);
    }

    /** Stores {@code content} as a blob. */
    ObjectId insert(byte[] content) throws IOException {
        return inserter.insert(Constants.OBJ_BLOB, content);
    }

    /** The entry as it must be at {@code path}: a locked annexed link gets the relative target for that folder. */
    TreeEntry at(String path, TreeEntry entry) throws IOException {
        Optional<Key> key = entry.symlink() ? annexKey(entry) : Optional.empty();
        if (key.isEmpty()) {
            return entry;
        }
        ObjectId target = insert(linkTarget(repo, path, key.get()).getBytes(StandardCharsets.UTF_8));
        return new TreeEntry(entry.mode(), target);
    }

    /** The canonical relative link target of a locked file at {@code path}, as the stager writes it (§4.1). */
    static String linkTarget(AnnexRepo repo, String path, Key key) {
        Path file = repo.workTree().resolve(path);
        return file.getParent().relativize(repo.store().objectPath(key)).toString();
    }
}
