package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.WorkTreePaths;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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

/**
 * Converts between git trees and flat path → entry maps, in memory, without a work tree or filters. Flattening keeps
 * only entries that may be checked out: a path {@link WorkTreePaths#problem} refuses, a name holding {@code /}, or a
 * path inside another entry of the same tree (a file {@code d/f} beside a link or file {@code d}, which would be
 * written through it) is left out and listed. Stateless.
 */
final class Trees {
    private Trees() {}

    /**
     * A flattened tree.
     *
     * @param files every entry that may be checked out, by path
     * @param unsafe the entries left out, sorted by path
     */
    record Flat(SortedMap<String, TreeEntry> files, List<UnsafePath> unsafe) {}

    /** Every safe file of {@code tree} by path; empty for no tree (an unborn branch or unrelated histories' base). */
    static SortedMap<String, TreeEntry> flatten(ObjectReader reader, Optional<ObjectId> tree) throws IOException {
        return tree.isEmpty() ? new TreeMap<>() : checked(reader, tree.get()).files();
    }

    /** Every file of {@code tree}, the unsafe ones apart. */
    static Flat checked(ObjectReader reader, ObjectId tree) throws IOException {
        SortedMap<String, TreeEntry> files = new TreeMap<>();
        List<UnsafePath> unsafe = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.setRecursive(true);
            walk.addTree(tree);
            while (walk.next()) {
                String path = walk.getPathString();
                Optional<String> why = WorkTreePaths.problem(walk.getRawPath());
                if (why.isEmpty() && path.chars().filter(c -> c == '/').count() != walk.getDepth()) {
                    why = Optional.of("a name with '/' inside it (a malformed tree)");
                }
                if (why.isPresent()) {
                    unsafe.add(new UnsafePath(path, why.get()));
                } else {
                    files.put(path, new TreeEntry(walk.getRawMode(0), walk.getObjectId(0)));
                }
            }
        }
        unsafe.addAll(removeInsideOtherEntries(files));
        unsafe.sort(Comparator.comparing(UnsafePath::path));
        return new Flat(files, List.copyOf(unsafe));
    }

    /** Takes out of {@code files} the paths a tree cannot hold beside the others; returns them. */
    static List<UnsafePath> removeUnsafe(SortedMap<String, TreeEntry> files) {
        List<UnsafePath> unsafe = new ArrayList<>();
        for (String path : List.copyOf(files.keySet())) {
            Optional<String> why = WorkTreePaths.problem(path);
            if (why.isPresent()) {
                files.remove(path);
                unsafe.add(new UnsafePath(path, why.get()));
            }
        }
        unsafe.addAll(removeInsideOtherEntries(files));
        return unsafe;
    }

    /** Removes the paths that lie inside another entry (a file or link) of the same map. */
    private static List<UnsafePath> removeInsideOtherEntries(SortedMap<String, TreeEntry> files) {
        List<UnsafePath> inside = new ArrayList<>();
        for (String path : List.copyOf(files.keySet())) {
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                String folder = path.substring(0, slash);
                TreeEntry there = files.get(folder);
                if (there != null) {
                    files.remove(path);
                    inside.add(new UnsafePath(path, "inside " + folder + ", which the same tree has as a "
                            + (there.symlink() ? "symbolic link" : "file") + ", so it would be written through it"));
                    break;
                }
            }
        }
        return inside;
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
