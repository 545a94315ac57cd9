package io.annexsync.gitsync.branch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;

/** Reading and writing git-annex branch trees in core: never through a real index file. */
final class BranchTrees {
    /** A file of a branch tree. */
    record Entry(ObjectId blob, FileMode mode) {
        static Entry regular(ObjectId blob) {
            return new Entry(blob, FileMode.REGULAR_FILE);
        }
    }

    private BranchTrees() {}

    /**
     * The content of {@code path} in {@code tree}, if it is a file there and not over {@link BranchWarnings#MAX_FILE}
     * bytes (a larger one is reported to {@code warnings} and read as absent, never loaded).
     */
    static Optional<byte[]> read(ObjectReader reader, AnyObjectId tree, String path, BranchWarnings warnings)
            throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(reader, path, tree)) {
            if (walk == null || (walk.getRawMode(0) & FileMode.TYPE_MASK) != FileMode.TYPE_FILE) {
                return Optional.empty();
            }
            return blob(reader, path, walk.getObjectId(0), warnings);
        }
    }

    /**
     * The files at {@code paths} in {@code tree} that exist (and are not too large, as in {@link #read}), read in one
     * walk of the tree (reading 10,000 location logs one path at a time walks the tree from its root 10,000 times).
     */
    static Map<String, byte[]> readAll(ObjectReader reader, AnyObjectId tree, Collection<String> paths,
            BranchWarnings warnings) throws IOException {
        Map<String, byte[]> found = new HashMap<>();
        if (paths.isEmpty()) {
            return found;
        }
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            walk.setFilter(PathFilterGroup.createFromStrings(paths));
            while (walk.next()) {
                if ((walk.getRawMode(0) & FileMode.TYPE_MASK) == FileMode.TYPE_FILE) {
                    String path = walk.getPathString();
                    blob(reader, path, walk.getObjectId(0), warnings).ifPresent(b -> found.put(path, b));
                }
            }
        }
        return found;
    }

    /** The bytes of the blob at {@code path}, unless it is larger than {@link BranchWarnings#MAX_FILE} (reported). */
    static Optional<byte[]> blob(ObjectReader reader, String path, AnyObjectId blob, BranchWarnings warnings)
            throws IOException {
        ObjectLoader loader = reader.open(blob, Constants.OBJ_BLOB);
        if (!warnings.readable(path, blob, loader.getSize())) {
            return Optional.empty();
        }
        return Optional.of(loader.getBytes((int) BranchWarnings.MAX_FILE));
    }

    /** Every file of a tree, by path. */
    static Map<String, Entry> files(ObjectReader reader, AnyObjectId tree) throws IOException {
        Map<String, Entry> files = new TreeMap<>();
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            while (walk.next()) {
                files.put(walk.getPathString(), new Entry(walk.getObjectId(0), walk.getFileMode(0)));
            }
        }
        return files;
    }

    /** The paths of the files under {@code folder} (no trailing slash) in {@code tree}, recursively. */
    static List<String> list(ObjectReader reader, AnyObjectId tree, String folder) throws IOException {
        List<String> paths = new ArrayList<>();
        try (TreeWalk walk = TreeWalk.forPath(reader, folder, tree)) {
            if (walk == null || (walk.getRawMode(0) & FileMode.TYPE_MASK) != FileMode.TYPE_TREE) {
                return paths;
            }
            try (TreeWalk inner = new TreeWalk(reader)) {
                inner.addTree(walk.getObjectId(0));
                inner.setRecursive(true);
                while (inner.next()) {
                    paths.add(folder + "/" + inner.getPathString());
                }
            }
        }
        return paths;
    }

    /** Writes a tree holding exactly these files; the caller flushes the inserter. */
    static ObjectId write(ObjectInserter inserter, Map<String, Entry> files) throws IOException {
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        files.forEach((path, entry) -> {
            DirCacheEntry e = new DirCacheEntry(path);
            e.setFileMode(entry.mode());
            e.setObjectId(entry.blob());
            builder.add(e);
        });
        builder.finish();
        return index.writeTree(inserter);
    }
}
