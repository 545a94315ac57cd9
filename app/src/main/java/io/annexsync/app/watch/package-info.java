/**
 * Watching a repository's folder for the assistant daemon: {@link io.annexsync.app.watch.FolderWatcher} turns the
 * JDK's {@code WatchService} (inotify on Linux) into recursive, batched change reports with a rescan request when
 * events were lost, and tells when a peer pushed into {@code refs/heads/synced/}; {@link
 * io.annexsync.app.watch.ChangeBatcher} decides when changed paths have settled enough to be committed;
 * {@link io.annexsync.app.watch.IgnoredNames} knows the temporary files of editors and tools. Nothing here stages,
 * commits or reads git: the daemon does that with what these classes report.
 */
package io.annexsync.app.watch;
