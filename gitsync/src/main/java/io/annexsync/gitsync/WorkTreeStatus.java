package io.annexsync.gitsync;

import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.stage.CachedStat;
import io.annexsync.gitsync.stage.SpecialFiles;
import io.annexsync.gitsync.stage.StatCache;
import io.annexsync.gitsync.store.FileStamp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;

/**
 * Compares the work tree with the index and HEAD, the way git-annex sees it: an unlocked file is unchanged when its
 * content is its key's content (or it still holds its pointer), never by comparing it with the pointer blob. Files
 * whose stat data match the stat cache are not read; others are hashed (annexed) or blob-hashed (git) without git's
 * filters, so git-annex need not be installed. A FIFO, socket or device file is never opened: it is listed as ignored
 * ({@code !}), as git and git-annex never add such files.
 */
final class WorkTreeStatus {
    private final AnnexRepo repo;

    WorkTreeStatus(AnnexRepo repo) {
        this.repo = repo;
    }

    List<WorkTreeChange> changes() throws RepoException {
        return changes(Optional.empty());
    }

    /**
     * As {@link #changes()} for the given paths only (and what is under them): what a checkout needs to know about
     * the paths it is about to change, without looking at the rest of the work tree.
     */
    List<WorkTreeChange> changes(Optional<Collection<String>> only) throws RepoException {
        if (only.isPresent() && only.get().isEmpty()) {
            return List.of();
        }
        Repository git = repo.git();
        List<WorkTreeChange> out = new ArrayList<>();
        try (ObjectReader reader = git.newObjectReader(); TreeWalk walk = new TreeWalk(git, reader)) {
            Map<String, CachedStat> cache = repo.state().statCache().loadAll();
            walk.setRecursive(true);
            int head = walk.addTree(headTree(git, reader));
            int index = walk.addTree(new DirCacheIterator(git.readDirCache()));
            int work = walk.addTree(SpecialFiles.iterator(git));
            only.ifPresent(paths -> walk.setFilter(PathFilterGroup.createFromStrings(paths)));
            while (walk.next()) {
                change(walk, head, index, work, reader, cache).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new RepoException("cannot compare the work tree with the index: " + e.getMessage(), e);
        }
        return out;
    }

    private Optional<WorkTreeChange> change(TreeWalk walk, int head, int index, int work, ObjectReader reader,
            Map<String, CachedStat> cache) throws IOException, RepoException {
        String path = walk.getPathString();
        DirCacheIterator staged = walk.getTree(index, DirCacheIterator.class);
        WorkingTreeIterator file = walk.getTree(work, WorkingTreeIterator.class);
        if (file != null && SpecialFiles.isSpecial(file)) { // never read: listed as ignored unless .gitignore'd
            boolean known = staged != null || walk.getRawMode(head) != 0;
            return known || !file.isEntryIgnored() ? Optional.of(new WorkTreeChange('!', path)) : Optional.empty();
        }
        if (staged == null) {
            boolean untracked = file != null && !file.isEntryIgnored() && walk.getRawMode(head) == 0;
            return untracked ? Optional.of(new WorkTreeChange('?', path))
                    : walk.getRawMode(head) != 0 ? Optional.of(new WorkTreeChange('D', path)) : Optional.empty();
        }
        if (file == null) {
            return Optional.of(new WorkTreeChange('D', path));
        }
        DirCacheEntry entry = staged.getDirCacheEntry();
        boolean symlinkNow = file.getEntryFileMode() == FileMode.SYMLINK;
        if (symlinkNow != (entry.getFileMode() == FileMode.SYMLINK)) {
            return Optional.of(new WorkTreeChange('T', path));
        }
        if (!matchesIndex(path, entry, reader, cache.get(path))) {
            return Optional.of(new WorkTreeChange('M', path));
        }
        boolean inHead = walk.getRawMode(head) != 0;
        if (!inHead || !walk.getObjectId(head).equals(entry.getObjectId())
                || walk.getRawMode(head) != entry.getRawMode()) {
            return Optional.of(new WorkTreeChange('A', path));
        }
        return Optional.empty();
    }

    /** Whether the work-tree file still is what the index entry records. */
    private boolean matchesIndex(String path, DirCacheEntry entry, ObjectReader reader, CachedStat cached)
            throws IOException, RepoException {
        Path file = repo.workTree().resolve(path);
        FileStamp stamp = FileStamp.of(file);
        Optional<CachedStat> hit = StatCache.valid(Optional.ofNullable(cached), stamp);
        if (hit.isPresent() && hit.get().blobId().equals(entry.getObjectId().name())) {
            return true;
        }
        if (entry.getFileMode() == FileMode.SYMLINK) {
            byte[] target = Files.readSymbolicLink(file).toString().getBytes(StandardCharsets.UTF_8);
            return blobId(target).equals(entry.getObjectId());
        }
        Optional<Key> key = IndexFiles.annexedFile(reader, entry).map(AnnexedFile::key);
        if (key.isPresent()) {
            return WorkTreeFiles.holdsPointerTo(file, key.get()) || WorkTreeFiles.holdsContentOf(file, key.get());
        }
        boolean sizeKnown = entry.getLength() != 0; // 0: racily clean, smudged by whoever wrote the index
        return (!sizeKnown || entry.getLength() == stamp.size()) && blobIdOf(file).equals(entry.getObjectId());
    }

    private static ObjectId blobId(byte[] content) {
        try (ObjectInserter.Formatter f = new ObjectInserter.Formatter()) {
            return f.idFor(Constants.OBJ_BLOB, content);
        }
    }

    private static ObjectId blobIdOf(Path file) throws IOException {
        try (ObjectInserter.Formatter f = new ObjectInserter.Formatter(); InputStream in = Files.newInputStream(file)) {
            return f.idFor(Constants.OBJ_BLOB, Files.size(file), in);
        }
    }

    private static AbstractTreeIterator headTree(Repository git, ObjectReader reader) throws IOException {
        ObjectId tree = git.resolve("HEAD^{tree}");
        if (tree == null) {
            return new EmptyTreeIterator();
        }
        try (RevWalk rw = new RevWalk(reader)) {
            CanonicalTreeParser p = new CanonicalTreeParser();
            p.reset(reader, rw.parseTree(tree));
            return p;
        }
    }
}
