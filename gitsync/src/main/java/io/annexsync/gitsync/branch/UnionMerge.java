package io.annexsync.gitsync.branch;

import io.annexsync.gitsync.RepoException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * git-annex's union merge of branch trees (FORMAT.md §5.1, §10.3), in core. Per path, the files of every version are
 * merged by line: the lines (split at LF) of all versions, de-duplicated and sorted bytewise, each followed by LF. When
 * that equals one version's own sorted unique lines, that version's blob is reused unchanged, as git-annex does.
 * Paths present in only some versions are kept. Histories do not matter: any commits or trees can be merged.
 *
 * <p>Stateless and thread-safe; the repository is only read and written through fresh readers and inserters.
 */
public final class UnionMerge {
    private UnionMerge() {}

    /**
     * Union-merges the trees of {@code commits} (or trees) and writes the merged tree; returns its id. Runs in core:
     * no index file, no work tree.
     */
    public static ObjectId trees(Repository repo, List<? extends AnyObjectId> commits) throws RepoException {
        return trees(repo, commits, new BranchWarnings());
    }

    static ObjectId trees(Repository repo, List<? extends AnyObjectId> commits, BranchWarnings warnings)
            throws RepoException {
        try (ObjectInserter inserter = repo.newObjectInserter(); ObjectReader reader = inserter.newReader()) {
            ObjectId tree = trees(reader, inserter, commits, warnings);
            inserter.flush();
            return tree;
        } catch (IOException e) {
            throw new RepoException("union merge of " + commits + " failed: " + e.getMessage(), e);
        }
    }

    static ObjectId trees(ObjectReader reader, ObjectInserter inserter, List<? extends AnyObjectId> commits,
            BranchWarnings warnings) throws IOException {
        Map<String, Set<BranchTrees.Entry>> versions = new TreeMap<>();
        try (RevWalk walk = new RevWalk(reader)) {
            for (AnyObjectId id : commits) {
                ObjectId tree = walk.peel(walk.parseAny(id)) instanceof RevCommit c ? c.getTree() : id.toObjectId();
                BranchTrees.files(reader, tree)
                        .forEach((path, e) -> versions.computeIfAbsent(path, p -> new LinkedHashSet<>()).add(e));
            }
        }
        Map<String, BranchTrees.Entry> merged = new TreeMap<>();
        for (Map.Entry<String, Set<BranchTrees.Entry>> v : versions.entrySet()) {
            merged.put(v.getKey(), mergeFile(reader, inserter, v.getKey(), List.copyOf(v.getValue()), warnings));
        }
        return BranchTrees.write(inserter, merged);
    }

    /**
     * One path's merged entry. A version over {@link BranchWarnings#MAX_FILE} bytes is left out of the union
     * (reported, never loaded); when no version can be read, the first (the branch's own) is kept as it is.
     */
    private static BranchTrees.Entry mergeFile(ObjectReader reader, ObjectInserter inserter, String path,
            List<BranchTrees.Entry> all, BranchWarnings warnings) throws IOException {
        if (all.size() == 1) {
            return all.get(0);
        }
        List<BranchTrees.Entry> versions = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (BranchTrees.Entry e : all) {
            Optional<byte[]> bytes = BranchTrees.blob(reader, path, e.blob(), warnings);
            if (bytes.isPresent()) {
                versions.add(e);
                contents.add(bytes.get());
            }
        }
        if (versions.isEmpty()) {
            return all.get(0);
        }
        Optional<Integer> reusable = reusable(contents);
        return reusable.isPresent()
                ? versions.get(reusable.get())
                : BranchTrees.Entry.regular(inserter.insert(Constants.OBJ_BLOB, lines(contents)));
    }

    /** The union of the lines of several versions of a file; a version that already is the union is returned as is. */
    public static byte[] lines(List<byte[]> versions) {
        return reusable(versions).map(versions::get).orElseGet(() -> join(sortedUnique(versions)));
    }

    private static Optional<Integer> reusable(List<byte[]> versions) {
        Set<Line> all = sortedUnique(versions);
        for (int i = 0; i < versions.size(); i++) {
            if (sortedUnique(List.of(versions.get(i))).equals(all)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    private static Set<Line> sortedUnique(List<byte[]> versions) {
        Set<Line> lines = new TreeSet<>();
        for (byte[] content : versions) {
            int start = 0;
            for (int i = 0; i <= content.length; i++) {
                if (i == content.length ? i > start : content[i] == '\n') {
                    lines.add(new Line(Arrays.copyOfRange(content, start, i)));
                    start = i + 1;
                }
            }
        }
        return lines;
    }

    private static byte[] join(Set<Line> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Line line : lines) {
            out.writeBytes(line.bytes());
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** One line's bytes, ordered bytewise (unsigned), as Haskell's ByteString. */
    private record Line(byte[] bytes) implements Comparable<Line> {
        @Override
        public int compareTo(Line o) {
            return Arrays.compareUnsigned(bytes, o.bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Line l && Arrays.equals(bytes, l.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
