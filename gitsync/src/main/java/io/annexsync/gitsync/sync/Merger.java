package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.BranchMoves;
import io.annexsync.gitsync.Commits;
import io.annexsync.gitsync.RepoException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Merges other branches into the current branch the way {@code git annex sync} does, in process and without ever
 * stopping on a conflict: each ref is fast-forwarded to, or merged in memory (no clean or smudge filter runs) with
 * every conflict resolved as {@code docs/sync.md} describes, committed with both parents, and checked out into the
 * work tree and index by {@link TreeCheckout}. Unrelated histories are merged too (an empty base).
 *
 * <p>The work tree and index are updated before the branch moves: if the process dies between the two, the next
 * commit records the merged tree and nothing is lost. The caller should commit local changes first; any change made
 * since is left in place and reported as {@link ConflictResolution.Kind#LOCAL_CHANGE_KEPT}.
 *
 * <p>Not thread-safe: run it on the repository's one writer thread, like every other index user of the
 * {@link AnnexRepo}, which it does not close.
 */
public final class Merger {
    static final String CONFLICT_MESSAGE = "git-annex automatic merge conflict fix";

    private final AnnexRepo repo;

    /** A merger for {@code repo}, which stays open and owned by the caller. */
    public Merger(AnnexRepo repo) {
        this.repo = Objects.requireNonNull(repo, "repo");
    }

    /**
     * Merges each of {@code refs} (full names such as {@code refs/remotes/origin/synced/main}) into the current branch,
     * in order; refs that do not exist or are already contained in HEAD are skipped. Unsafe paths of an incoming
     * commit are left out and reported, never checked out (docs/sync.md, "Unsafe paths").
     */
    public MergeReport merge(List<String> refs) throws RepoException {
        Optional<ObjectId> start = head();
        List<String> merged = new ArrayList<>();
        List<ConflictResolution> conflicts = new ArrayList<>();
        List<UnsafeCommit> unsafe = new ArrayList<>();
        for (String ref : refs) {
            Optional<Outcome> outcome = mergeOne(ref);
            if (outcome.isPresent()) {
                merged.add(ref);
                conflicts.addAll(outcome.get().conflicts());
                outcome.get().unsafe().ifPresent(unsafe::add);
            }
        }
        Optional<ObjectId> end = head();
        Optional<String> moved = end.equals(start) ? Optional.empty() : end.map(ObjectId::name);
        return new MergeReport(merged, conflicts, moved, unsafe);
    }

    /** What merging one ref did: the conflicts resolved and local changes kept, and what was left out as unsafe. */
    private record Outcome(List<ConflictResolution> conflicts, Optional<UnsafeCommit> unsafe) {}

    /** Merges one ref; empty when there was nothing to merge. */
    private Optional<Outcome> mergeOne(String ref) throws RepoException {
        Repository git = repo.git();
        try (RevWalk walk = new RevWalk(git)) {
            Ref found = git.exactRef(ref);
            if (found == null) {
                return Optional.empty();
            }
            RevCommit theirs = walk.parseCommit(found.getObjectId());
            Optional<RevCommit> ours = head().isPresent() ? Optional.of(walk.parseCommit(head().get()))
                    : Optional.empty();
            if (ours.isPresent() && walk.isMergedInto(theirs, ours.get())) {
                return Optional.empty();
            }
            Trees.Flat incoming = Trees.checked(walk.getObjectReader(), theirs.getTree());
            List<UnsafePath> unsafe = new ArrayList<>(incoming.unsafe());
            List<ConflictResolution> conflicts;
            if (ours.isEmpty() || walk.isMergedInto(ours.get(), theirs)) {
                conflicts = unsafe.isEmpty() ? advance(ours, theirs, theirs.getTree())
                        : cleanedForward(walk, ref, ours, theirs, incoming.files());
            } else {
                conflicts = threeWay(walk, ref, ours.get(), theirs, incoming.files(), unsafe);
            }
            unsafe.sort(Comparator.comparing(UnsafePath::path));
            return Optional.of(new Outcome(conflicts, unsafe.isEmpty() ? Optional.empty()
                    : Optional.of(new UnsafeCommit(ref, Optional.empty(), theirs.name(), unsafe))));
        } catch (IOException e) {
            throw new RepoException("cannot merge " + ref + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where a fast-forward would check out unsafe paths: a commit of the incoming tree without them, its parents the
     * current branch (if born) and the incoming commit, so the incoming commit counts as merged and is never tried
     * again.
     */
    private List<ConflictResolution> cleanedForward(RevWalk walk, String ref, Optional<RevCommit> ours,
            RevCommit theirs, SortedMap<String, TreeEntry> safe) throws IOException, RepoException {
        try (ObjectInserter inserter = repo.git().newObjectInserter()) {
            ObjectId treeId = Trees.write(inserter, safe);
            List<ObjectId> parents = new ArrayList<>();
            ours.ifPresent(parents::add);
            parents.add(theirs);
            ObjectId commit = commit(inserter, treeId, "merging " + ref + " into " + repo.git().getBranch(), parents);
            inserter.flush();
            return advance(ours, walk.parseCommit(commit), treeId);
        }
    }

    private List<ConflictResolution> threeWay(RevWalk walk, String ref, RevCommit ours, RevCommit theirs,
            SortedMap<String, TreeEntry> incoming, List<UnsafePath> unsafe) throws IOException, RepoException {
        Repository git = repo.git();
        try (ObjectReader reader = git.newObjectReader(); ObjectInserter inserter = git.newObjectInserter()) {
            Blobs blobs = new Blobs(repo, reader, inserter);
            MergedTree tree = new ConflictResolver(blobs).merge(
                    new VirtualMergeBase(walk, reader, blobs).of(ours, theirs),
                    Trees.flatten(reader, Optional.of(ours.getTree())),
                    incoming);
            unsafe.addAll(Trees.removeUnsafe(tree.files()));
            ObjectId treeId = Trees.write(inserter, tree.files());
            String message = tree.conflicts().isEmpty() ? "merging " + ref + " into " + git.getBranch()
                    : CONFLICT_MESSAGE;
            ObjectId commit = commit(inserter, treeId, message, List.of(ours, theirs));
            inserter.flush();
            List<ConflictResolution> all = new ArrayList<>(tree.conflicts());
            all.addAll(advance(Optional.of(ours), walk.parseCommit(commit), treeId));
            return all;
        }
    }

    private ObjectId commit(ObjectInserter inserter, ObjectId tree, String message, List<? extends ObjectId> parents)
            throws IOException {
        PersonIdent me = new PersonIdent(repo.git());
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        commit.setParentIds(parents);
        commit.setAuthor(Commits.author(repo.git(), me));
        commit.setCommitter(me);
        commit.setMessage(message + "\n");
        return inserter.insert(commit);
    }

    /** Checks out {@code tree} over HEAD's, then moves the branch to {@code target} if no one else moved it. */
    private List<ConflictResolution> advance(Optional<RevCommit> from, RevCommit target, ObjectId tree)
            throws IOException, RepoException {
        List<ConflictResolution> kept;
        Repository git = repo.git();
        try (ObjectReader reader = git.newObjectReader(); ObjectInserter inserter = git.newObjectInserter()) {
            Blobs blobs = new Blobs(repo, reader, inserter);
            SortedMap<String, TreeEntry> old = Trees.flatten(reader, from.map(RevCommit::getTree));
            SortedMap<String, TreeEntry> now = Trees.flatten(reader, Optional.of(tree));
            kept = new TreeCheckout(repo, new WorkTreeWriter(repo, blobs, reader)).apply(old, now);
        }
        moveHead(from.map(RevCommit::copy), target);
        return kept;
    }

    private void moveHead(Optional<ObjectId> expected, ObjectId target) throws IOException, RepoException {
        RefUpdate update = repo.git().updateRef(Constants.HEAD);
        update.setExpectedOldObjectId(expected.orElse(ObjectId.zeroId()));
        update.setNewObjectId(target);
        update.setRefLogMessage("annex-sync merge", false);
        RefUpdate.Result result = update.update();
        switch (result) {
            case NEW, FAST_FORWARD, FORCED, NO_CHANGE -> BranchMoves.leftHere(repo);
            default -> throw new RepoException("cannot move " + repo.git().getFullBranch() + " to " + target.name()
                    + " (" + result + "): it changed during the merge; run sync again");
        }
    }

    private Optional<ObjectId> head() throws RepoException {
        try {
            return Optional.ofNullable(repo.git().resolve(Constants.HEAD + "^{commit}"));
        } catch (IOException e) {
            throw new RepoException("cannot read HEAD: " + e.getMessage(), e);
        }
    }
}
