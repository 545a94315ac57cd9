package io.annexsync.app.watch;

import java.util.Set;

/**
 * What a {@link FolderWatcher} reports. Every call comes from the watcher's own thread, one round of events at a time
 * (refs first, then a rescan request, then the changed paths); an implementation must only enqueue work and return:
 * while it blocks, no events are drained and the kernel drops them once its queue is full. An exception thrown here
 * is logged and the watcher goes on.
 */
public interface WatchListener {
    /**
     * Paths (relative to the work tree, '/'-separated) of files or folders that were created, modified, deleted or
     * renamed; for a new folder, the folder and every file found in it by the walk after it was registered. Both
     * names of a rename are reported. A folder deleted or renamed away stands for everything that was under it (its
     * files may or may not be listed too). The set is unmodifiable and never empty.
     */
    void changed(Set<String> paths);

    /** Something under .git/refs/heads/synced/ or .git/packed-refs changed (a peer pushed into this repository). */
    void refsChanged();

    /**
     * Events were lost (OVERFLOW) or a folder could not be registered: the whole work tree must be rescanned.
     *
     * @param reason what happened, for the log
     */
    void rescan(String reason);
}
