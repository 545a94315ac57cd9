package io.annexsync.gitsync.content;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.UnsafePathException;
import io.annexsync.gitsync.WorkTreeFiles;
import io.annexsync.gitsync.key.Key;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What content operations do to this repository's work tree and index, and fsck: the content of a file that is here
 * put in place ({@link #populate}), work-tree files changed by a get or a drop noted ({@link #touched}) and their
 * index entries refreshed in one write by {@link #flush}, so a command over 10,000 files does not write the index
 * 10,000 times. Moving content between repositories is the transfer engine's (module {@code transfer}); this moves
 * none. {@link #populate} and {@link #touched} may run on several threads at once; {@link #flush} after them.
 */
public final class ContentOps implements AutoCloseable {
    private final AnnexRepo repo;
    private final Set<String> touched = new LinkedHashSet<>();

    public ContentOps(AnnexRepo repo) {
        this.repo = repo;
    }

    /**
     * Puts the content of {@code file}, which is here, in place (an unlocked file); NOTHING_TO_DO when it was in place
     * or is not here. A file whose folder is a link in the work tree fails with the reason.
     */
    public ItemResult populate(AnnexedFile file) throws RepoException {
        Key key = file.key();
        if (!repo.hasContent(key)) {
            return ItemResult.nothingToDo(file.path(), key);
        }
        try {
            boolean changed = WorkTreeFiles.populate(repo, file);
            if (changed) {
                touched(file.path());
            }
            return changed ? ItemResult.ok(file.path(), key, "") : ItemResult.nothingToDo(file.path(), key);
        } catch (UnsafePathException e) {
            return ItemResult.failed(file.path(), key, "", e.getMessage());
        }
    }

    /** Checks the file's content and location log; see {@link Checker}. */
    public ItemResult fsck(AnnexedFile file, boolean fast, Progress progress) throws RepoException {
        return new Checker(repo).check(file, fast, progress);
    }

    /** Notes a work-tree file that was changed (content put in place or taken away), for {@link #flush}. */
    public synchronized void touched(String path) {
        touched.add(path);
    }

    /** Refreshes the index entries of the work-tree files noted, in one write. */
    public synchronized void flush() throws RepoException {
        WorkTreeFiles.refreshIndex(repo, touched);
        touched.clear();
    }

    /** Flushes. */
    @Override
    public void close() throws RepoException {
        flush();
    }
}
