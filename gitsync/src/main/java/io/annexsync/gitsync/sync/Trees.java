package io.annexsync.gitsync.sync;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.TreeWalk;

/** Converts between git trees and flat path → entry maps, in memory, without a work tree or filters. Stateless. */
final class Trees {
    private Trees() {}

    /** Every file of {@code tree} by path; empty for no tree (an unborn branch or unrelated histories' base). */
    static SortedMap<String, TreeEntry> flatten(ObjectReader reader, Optional<ObjectId> tree) throws IOException {
        SortedMap<String, TreeEntry> files = new TreeMap<>();
        if (tree.isEmpty()) {
            return files;
        }
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.setRecursive(true);
            walk.addTree(tree.get());
            while (walk.next()) {
                files.put(walk.getPathString(), new TreeEntry(walk.getRawMode(0), walk.getObjectId(0)));
            }
        }
        return files;
    }

    /** Writes {@code files} as a git tree (the caller flushes the inserter); paths must not clash file/folder. */
    static ObjectId write(ObjectInserter inserter, Map<String, TreeEntry> files) throws IOException {
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        for (Map.Entry<String, TreeEntry> file : files.entrySet()) {
            DirCacheEntry entry = new DirCacheEntry(file.getKey());
            entry.setFileMode(file.getValue().fileMode());
            entry.setObjectId(file.getValue().id());
            builder.add(entry);
        }
        builder.finish();
        return index.writeTree(inserter);
    }
}
