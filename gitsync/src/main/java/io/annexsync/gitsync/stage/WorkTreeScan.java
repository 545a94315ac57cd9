package io.annexsync.gitsync.stage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;

/**
 * Lists the work-tree files under some paths with their index entries, as {@code git add} would see them: recursive,
 * {@code .git} skipped, ignored files skipped unless forced or already tracked, nested repositories skipped, and
 * {@link SpecialFiles special files} (FIFOs, sockets, devices) listed apart, never opened. Not thread-safe; one per
 * staging run.
 */
final class WorkTreeScan {
    /** One file to stage. */
    record Candidate(String path, boolean symlink, boolean executable, Optional<DirCacheEntry> index) {}

    /**
     * What a scan found.
     *
     * @param files the files to stage
     * @param special the paths of special files (tracked or not, ignored or not), to skip
     */
    record Found(List<Candidate> files, List<String> special) {}

    private WorkTreeScan() {}

    /** The files under {@code paths} (relative, '/'-separated; empty string for the whole tree). */
    static Found scan(Repository repo, DirCache index, List<String> paths, boolean force) throws IOException {
        List<Candidate> out = new ArrayList<>();
        List<String> special = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.setRecursive(true);
            int dc = walk.addTree(new DirCacheIterator(index));
            int wt = walk.addTree(SpecialFiles.iterator(repo));
            if (!paths.contains("")) {
                walk.setFilter(PathFilterGroup.createFromStrings(paths));
            }
            while (walk.next()) {
                WorkingTreeIterator file = walk.getTree(wt, WorkingTreeIterator.class);
                DirCacheIterator cached = walk.getTree(dc, DirCacheIterator.class);
                Optional<DirCacheEntry> entry = Optional.ofNullable(cached).map(DirCacheIterator::getDirCacheEntry);
                if (file == null || (entry.isEmpty() && !force && file.isEntryIgnored())) {
                    continue;
                }
                if (SpecialFiles.isSpecial(file)) {
                    special.add(walk.getPathString());
                    continue;
                }
                FileMode mode = file.getEntryFileMode();
                if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE || mode == FileMode.SYMLINK) {
                    out.add(new Candidate(walk.getPathString(), mode == FileMode.SYMLINK,
                            mode == FileMode.EXECUTABLE_FILE, entry));
                }
            }
        }
        return new Found(out, special);
    }
}
