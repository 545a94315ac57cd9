package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.WorkTreeChange;
import io.annexsync.gitsync.WorkTreePaths;
import io.annexsync.gitsync.stage.IndexLocks;
import io.annexsync.gitsync.sync.ConflictResolution.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor.DeletePath;
import org.eclipse.jgit.dircache.DirCacheEditor.PathEdit;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;

/**
 * Moves the work tree and the index from one tree to another, touching only the paths that differ, without git's
 * filters (see {@link WorkTreeWriter}). A path whose work-tree file no longer matches the index (changed, deleted or
 * created since the last commit) is left as the person made it and reported; its index entry still moves to the new
 * tree, so the change shows in {@code status} and the next commit records it on top of the merge. All index updates
 * happen under one index lock, held for the whole checkout. Nothing is written or deleted through a link: a path
 * whose folder is a link or a file in the work tree is left alone and reported the same way. The paths come from
 * flattened trees ({@link Trees}), which hold only safe ones; the writer checks each again. Not thread-safe.
 */
final class TreeCheckout {
    private final AnnexRepo repo;
    private final WorkTreeWriter writer;
    private final List<ConflictResolution> kept = new ArrayList<>();

    TreeCheckout(AnnexRepo repo, WorkTreeWriter writer) {
        this.repo = repo;
        this.writer = writer;
    }

    /** Checks out {@code to} over {@code from}; returns the local changes it left in place. */
    List<ConflictResolution> apply(Map<String, TreeEntry> from, Map<String, TreeEntry> to) throws RepoException {
        TreeSet<String> changed = new TreeSet<>(from.keySet());
        changed.addAll(to.keySet());
        changed.removeIf(p -> Objects.equals(from.get(p), to.get(p)));
        if (changed.isEmpty()) {
            return List.of();
        }
        Set<String> dirty = localChanges(from, changed);
        try {
            DirCache index = IndexLocks.lock(repo.git());
            try {
                DirCacheEditor editor = index.editor();
                deleteRemoved(changed, to, dirty, editor);
                writeAdded(changed, to, dirty, editor);
                editor.finish();
                index.write();
                index.commit();
            } finally {
                index.unlock();
            }
        } catch (IOException e) {
            throw new RepoException("cannot check out the merged tree: " + e.getMessage(), e);
        }
        kept.sort(Comparator.comparing(ConflictResolution::path));
        return List.copyOf(kept);
    }

    /** Paths to leave alone: changed since the last commit, or not tracked but in the way of a new file. */
    private Set<String> localChanges(Map<String, TreeEntry> from, Set<String> changed) throws RepoException {
        Set<String> dirty = new HashSet<>();
        for (WorkTreeChange c : repo.status(changed)) {
            dirty.add(c.path());
        }
        for (String path : changed) {
            Path file = repo.workTree().resolve(path);
            boolean present = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
            if (!from.containsKey(path) && present && !Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                dirty.add(path);
            }
        }
        dirty.retainAll(changed);
        return dirty;
    }

    private void deleteRemoved(TreeSet<String> changed, Map<String, TreeEntry> to, Set<String> dirty,
            DirCacheEditor editor) throws IOException, RepoException {
        for (String path : changed.descendingSet()) {
            if (to.containsKey(path)) {
                continue;
            }
            editor.add(new DeletePath(path));
            if (dirty.contains(path) || WorkTreePaths.blockedBy(repo.workTree(), path).isPresent()) {
                keep(path);
            } else {
                writer.delete(path);
            }
        }
    }

    private void writeAdded(TreeSet<String> changed, Map<String, TreeEntry> to, Set<String> dirty,
            DirCacheEditor editor) throws IOException, RepoException {
        for (String path : changed) {
            TreeEntry entry = to.get(path);
            if (entry == null) {
                continue;
            }
            if (dirty.contains(path) || entry.gitlink() || blocked(path)) {
                editor.add(new Entry(path, entry, Optional.empty()));
                keepUnlessGitlink(path, entry);
            } else {
                editor.add(new Entry(path, entry, Optional.of(writer.write(path, entry))));
            }
        }
    }

    /**
     * Whether something the person kept is in the way of the new file: a non-empty folder at its path (untracked
     * files), or a file or link where one of its folders must be (nothing is written through a link).
     */
    private boolean blocked(String path) throws IOException {
        if (WorkTreePaths.blockedBy(repo.workTree(), path).isPresent()) {
            return true;
        }
        Path file = repo.workTree().resolve(path);
        if (!Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> children = Files.list(file)) {
            return children.findAny().isPresent();
        }
    }

    private void keepUnlessGitlink(String path, TreeEntry entry) {
        if (!entry.gitlink()) {
            keep(path);
        }
    }

    private void keep(String path) {
        kept.add(new ConflictResolution(path, Kind.LOCAL_CHANGE_KEPT, List.of(path)));
    }

    /** Sets one index entry to the new tree's mode and blob, with the written file's stat data when there is one. */
    private static final class Entry extends PathEdit {
        private final TreeEntry entry;
        private final Optional<BasicFileAttributes> written;

        Entry(String path, TreeEntry entry, Optional<BasicFileAttributes> written) {
            super(path);
            this.entry = entry;
            this.written = written;
        }

        @Override
        public void apply(DirCacheEntry ent) {
            ent.setFileMode(entry.fileMode());
            ent.setObjectId(entry.id());
            ent.setLength(written.map(BasicFileAttributes::size).orElse(0L));
            written.ifPresent(a -> ent.setLastModified(a.lastModifiedTime().toInstant()));
        }
    }
}
