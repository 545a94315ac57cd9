package io.annexsync.gitsync.sync;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;

/**
 * The base of a three-way merge, as git's recursive strategy makes it: the merge base when there is one, and when
 * there are several (a criss-cross: peers that merged each other's commits, as daemons syncing in a mesh do all the
 * time) the merge of them all, each pair merged against its own base the same way. Picking one of several bases
 * instead makes what only the other base has look added on both sides (a false conflict) and brings back what a side
 * deleted since. Bases are taken in id order and the merge of trees does not depend on which side is which, so every
 * peer computes the same base. Recursion stops at {@link #MAX_DEPTH} (then one base is used, as before), and a base
 * is made once per pair of commits in one merge. Not thread-safe; one per merge.
 */
final class VirtualMergeBase {
    /** How deep bases of bases are merged before one is simply taken. */
    static final int MAX_DEPTH = 8;

    private final RevWalk walk;
    private final ObjectReader reader;
    private final Blobs blobs;
    /** The bases made so far, by the pair of commits (smaller id first): nested criss-crosses share them. */
    private final Map<String, SortedMap<String, TreeEntry>> made = new HashMap<>();

    VirtualMergeBase(RevWalk walk, ObjectReader reader, Blobs blobs) {
        this.walk = walk;
        this.reader = reader;
        this.blobs = blobs;
    }

    /** The files of the base of {@code ours} and {@code theirs}; empty for unrelated histories. */
    SortedMap<String, TreeEntry> of(RevCommit ours, RevCommit theirs) throws IOException {
        return of(ours, theirs, 0);
    }

    private SortedMap<String, TreeEntry> of(RevCommit ours, RevCommit theirs, int depth) throws IOException {
        String pair = ours.compareTo(theirs) < 0 ? ours.name() + theirs.name() : theirs.name() + ours.name();
        SortedMap<String, TreeEntry> known = made.get(pair);
        if (known != null) {
            return new TreeMap<>(known);
        }
        SortedMap<String, TreeEntry> base = make(ours, theirs, depth);
        made.put(pair, new TreeMap<>(base));
        return base;
    }

    private SortedMap<String, TreeEntry> make(RevCommit ours, RevCommit theirs, int depth) throws IOException {
        List<RevCommit> bases = bases(ours, theirs);
        if (bases.isEmpty()) {
            return new TreeMap<>();
        }
        SortedMap<String, TreeEntry> merged = files(bases.get(0));
        if (depth >= MAX_DEPTH) {
            return merged;
        }
        for (int i = 1; i < bases.size(); i++) {
            SortedMap<String, TreeEntry> base = of(bases.get(0), bases.get(i), depth + 1);
            merged = new ConflictResolver(blobs).merge(base, merged, files(bases.get(i))).files();
        }
        return merged;
    }

    private SortedMap<String, TreeEntry> files(RevCommit commit) throws IOException {
        return Trees.flatten(reader, Optional.of(walk.parseCommit(commit).getTree()));
    }

    /** Every merge base of the two, smallest id first. */
    private List<RevCommit> bases(RevCommit ours, RevCommit theirs) throws IOException {
        walk.reset();
        walk.setRevFilter(RevFilter.MERGE_BASE);
        walk.markStart(walk.parseCommit(ours));
        walk.markStart(walk.parseCommit(theirs));
        List<RevCommit> bases = new ArrayList<>();
        for (RevCommit c = walk.next(); c != null; c = walk.next()) {
            bases.add(c);
        }
        walk.reset();
        walk.setRevFilter(RevFilter.ALL);
        bases.sort(Comparator.naturalOrder());
        return bases;
    }
}
