package io.annexsync.app.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import io.annexsync.app.watch.WatchedFolders.Area;
import io.annexsync.app.watch.WatchedFolders.Folder;
import io.annexsync.gitsync.supervise.Supervisor;
import java.io.File;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assistant daemon's one watcher of a repository's folder: every folder of the work tree, plus
 * {@code .git/refs/heads/synced/} (where peers push; {@code .git/refs/heads} is watched for it to appear, as git
 * removes it when it packs refs and a peer's push makes it again, and for the branches there, which a push into the
 * checked-out branch or a reset moves) and {@code .git/packed-refs}, registered with one JDK
 * {@link WatchService} (inotify on Linux, where a user has at most 128 instances) and drained on one thread named
 * {@value #THREAD_NAME}.
 *
 * <p>A new folder is registered first and then walked, and everything the walk finds is reported, so a file created
 * before its folder was registered ({@code mkdir -p a/b && echo x > a/b/c}) is never missed. Folders deleted or
 * renamed away are unregistered; one renamed into place is registered and walked like a new one. When events were
 * lost (OVERFLOW) or a folder could not be registered (too many inotify watches), the listener is asked for a rescan
 * and the tree is walked again to register what was missed. Names {@linkplain IgnoredNames ignored} are never
 * reported; {@code .git} folders are never entered and symbolic links to folders never followed.
 *
 * <p>Events are gathered per drain round: the first key taken and every key then available without waiting, so a
 * burst of a thousand files costs a few listener calls. Listener calls come from the watcher thread; see
 * {@link WatchListener}. Thread-safe; the caller owns it and closes it, which stops the thread.
 */
public final class FolderWatcher implements AutoCloseable {
    /** The name of the watcher thread. */
    public static final String THREAD_NAME = "annex-sync-watcher";
    private static final Logger LOG = LoggerFactory.getLogger(FolderWatcher.class);
    /** Ends a round under a flood of events, so changes are delivered while the flood goes on. */
    private static final int MAX_KEYS_PER_ROUND = 4096;
    private static final int MAX_REASONS = 5;
    private static final long STOP_WAIT_SECONDS = 10;
    private static final String PACKED_REFS = "packed-refs";
    private static final String SYNCED = "synced";

    private final Path workTree;
    private final Path synced;
    private final WatchService service;
    private final WatchedFolders folders;
    private final WatchListener listener;
    private final List<String> startProblems;
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** What one drain round found, delivered at its end. */
    private static final class Round {
        final Set<String> changed = new HashSet<>();
        final List<String> lost = new ArrayList<>();
        int moreLost;
        boolean refs;
        boolean rewalkWorkTree;
        boolean rewalkRefs;

        void lost(String reason) {
            if (lost.size() < MAX_REASONS) {
                lost.add(reason);
            } else {
                moreLost++;
            }
        }

        String reason() {
            return String.join("; ", lost) + (moreLost > 0 ? " (and " + moreLost + " more)" : "");
        }
    }

    private FolderWatcher(Path workTree, Path synced, WatchService service, WatchedFolders folders,
            WatchListener listener, List<String> startProblems) {
        this.workTree = workTree;
        this.synced = synced;
        this.service = service;
        this.folders = folders;
        this.listener = listener;
        this.startProblems = List.copyOf(startProblems);
        this.thread = new Thread(this::run, THREAD_NAME);
        this.thread.setDaemon(true);
    }

    /**
     * Registers the work tree, {@code gitDir} (for {@code packed-refs} only), {@code gitDir/refs/heads} (for its
     * {@code synced} folder only) and {@code gitDir/refs/heads/synced} when it exists, then starts the watcher thread.
     * Nothing is reported for what exists already. A folder below the work tree that cannot be registered is reported
     * to the listener as a rescan.
     *
     * @throws IOException when the watch service cannot be made (too many inotify instances) or the work tree or git
     *     directory cannot be registered
     */
    public static FolderWatcher start(Path workTree, Path gitDir, WatchListener listener) throws IOException {
        Objects.requireNonNull(workTree, "workTree");
        Objects.requireNonNull(gitDir, "gitDir");
        Objects.requireNonNull(listener, "listener");
        Path root = workTree.toAbsolutePath().normalize();
        Path git = gitDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotDirectoryException(root.toString());
        }
        Path heads = git.resolve("refs").resolve("heads");
        Path synced = heads.resolve(SYNCED);
        WatchService service = root.getFileSystem().newWatchService();
        try {
            WatchedFolders folders = new WatchedFolders(service, git);
            List<String> problems = new ArrayList<>();
            WatchedFolders.Walk quiet = walk(p -> { }, problems::add);
            folders.register(root, Area.WORK_TREE);
            folders.registerTree(root, Area.WORK_TREE, quiet);
            folders.register(git, Area.GIT_DIR);
            folders.register(heads, Area.HEADS);
            if (Files.isDirectory(synced, LinkOption.NOFOLLOW_LINKS)) {
                folders.registerTree(synced, Area.SYNCED_REFS, quiet);
            }
            FolderWatcher watcher = new FolderWatcher(root, synced, service, folders, listener, problems);
            LOG.debug("watching {} folders of {}", folders.size(), root);
            watcher.thread.start();
            return watcher;
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
    }

    /** Stops the watcher thread and closes the watch service; no listener call starts after it returns. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopped.countDown();
        try {
            service.close();
        } catch (IOException e) {
            LOG.warn("closing the watch service of {} failed: {}", workTree, e.toString());
        }
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
            if (thread.isAlive()) {
                LOG.warn("{} did not stop within {} s (a listener call blocks?); interrupting it", THREAD_NAME,
                        STOP_WAIT_SECONDS);
                thread.interrupt();
                thread.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The watcher thread: its loop runs under a {@link Supervisor}, so an error that ends it (a bug, a too deep tree)
     * starts it again after a back-off, and the listener is asked for a rescan for the events it may have missed.
     */
    private void run() {
        if (!startProblems.isEmpty()) {
            Round first = new Round();
            startProblems.forEach(first::lost);
            deliver(first);
        }
        Supervisor supervisor = Supervisor.of(THREAD_NAME + " of " + workTree, closed::get,
                delay -> stopped.await(delay.toMillis(), TimeUnit.MILLISECONDS));
        supervisor.run(() -> {
            if (supervisor.restarts() > 0) {
                Round again = new Round();
                again.lost("the watcher failed and started again");
                deliver(again);
            }
            watch();
        });
        LOG.debug("stopped watching {}", workTree);
    }

    private void watch() {
        while (!closed.get()) {
            WatchKey key;
            try {
                key = service.take();
            } catch (ClosedWatchServiceException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            Round round = new Round();
            try {
                drain(key, round);
            } catch (ClosedWatchServiceException e) {
                break;
            } catch (RuntimeException e) {
                LOG.error("watching {} failed; asking for a rescan", workTree, e);
                round.lost("the watcher failed: " + e);
            }
            deliver(round);
        }
    }

    private void drain(WatchKey first, Round round) {
        int keys = 0;
        for (WatchKey key = first; key != null && !closed.get(); key = ++keys < MAX_KEYS_PER_ROUND ? service.poll()
                : null) {
            handle(key, round);
        }
        if (round.rewalkWorkTree) {
            folders.rewalk(workTree, Area.WORK_TREE, walk(p -> { }, round::lost));
        }
        if (round.rewalkRefs && Files.isDirectory(synced, LinkOption.NOFOLLOW_LINKS)) {
            folders.rewalk(synced, Area.SYNCED_REFS, walk(p -> { }, round::lost));
        }
    }

    private void handle(WatchKey key, Round round) {
        List<WatchEvent<?>> events = key.pollEvents();
        Optional<Folder> known = folders.folderOf(key);
        if (known.isEmpty()) {
            return; // cancelled here: its folder moved or was removed, and was (or will be) walked anew
        }
        Folder folder = known.get();
        try {
            for (WatchEvent<?> event : events) {
                if (folders.folderOf(key).isEmpty()) {
                    break;
                }
                switch (folder.area()) {
                    case WORK_TREE -> workTreeEvent(folder.dir(), event, round);
                    case SYNCED_REFS -> refsEvent(folder.dir(), event, round);
                    case GIT_DIR -> gitDirEvent(event, round);
                    case HEADS -> headsEvent(folder.dir(), event, round);
                    default -> throw new IllegalStateException("unknown area " + folder.area());
                }
            }
        } finally { // also after a failure: a key left signalled would report its folder's events no more
            if (!key.reset()) {
                folders.forget(key);
                gone(folder, round);
            }
        }
    }

    private void workTreeEvent(Path dir, WatchEvent<?> event, Round round) {
        if (event.kind() == OVERFLOW) {
            round.lost("events were lost in " + describe(dir));
            round.rewalkWorkTree = true;
            return;
        }
        Path name = (Path) event.context();
        Path child = dir.resolve(name);
        LOG.debug("{} {}", event.kind(), child);
        if (name.toString().equals(".git") || child.equals(folders.gitDir())) {
            return;
        }
        if (event.kind() == ENTRY_DELETE) {
            folders.unregisterGone(child);
        } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)
                && (event.kind() == ENTRY_CREATE || !folders.isRegistered(child))) {
            folders.registerTree(child, Area.WORK_TREE, walk(p -> report(p, round), round::lost));
            return;
        }
        report(child, round);
    }

    private void refsEvent(Path dir, WatchEvent<?> event, Round round) {
        if (event.kind() == OVERFLOW) {
            round.refs = true;
            round.rewalkRefs = true;
            return;
        }
        Path child = dir.resolve((Path) event.context());
        LOG.debug("{} {}", event.kind(), child);
        if (child.getFileName().toString().endsWith(".lock")) {
            return; // git writes a ref as NAME.lock, then renames it: the rename tells
        }
        round.refs = true;
        if (event.kind() == ENTRY_DELETE) {
            folders.unregisterGone(child);
        } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)
                && (event.kind() == ENTRY_CREATE || !folders.isRegistered(child))) {
            folders.registerTree(child, Area.SYNCED_REFS, walk(p -> { }, round::lost));
        }
    }

    /**
     * In {@code refs/heads}: its {@code synced} folder, made by a peer's push or removed by a pack, and the branches
     * (one moved by a push into it, a reset or a commit made with git is caught up with at once); not lock files.
     */
    private void headsEvent(Path dir, WatchEvent<?> event, Round round) {
        String name = event.kind() == OVERFLOW ? "" : event.context().toString();
        if (!name.endsWith(".lock")) {
            round.refs = true;
        }
        if (event.kind() == OVERFLOW || SYNCED.equals(name)) {
            round.refs = true;
            if (Files.isDirectory(synced, LinkOption.NOFOLLOW_LINKS) && !folders.isRegistered(synced)) {
                folders.registerTree(synced, Area.SYNCED_REFS, walk(p -> { }, round::lost));
            }
        }
    }

    private void gitDirEvent(WatchEvent<?> event, Round round) {
        if (event.kind() == OVERFLOW || PACKED_REFS.equals(event.context().toString())) {
            LOG.debug("{} {}", event.kind(), event.context());
            round.refs = true;
        }
    }

    /** A key became invalid: its folder was deleted (or the service closed). */
    private void gone(Folder folder, Round round) {
        if (closed.get() || folders.isRegistered(folder.dir())) {
            return;
        }
        if (folder.dir().equals(workTree)) {
            if (Files.isDirectory(workTree, LinkOption.NOFOLLOW_LINKS)) {
                folders.registerTree(workTree, Area.WORK_TREE, walk(p -> { }, round::lost));
                round.lost("the work tree folder " + workTree + " was replaced");
            } else {
                round.lost("the work tree folder " + workTree + " is gone");
            }
        } else if (folder.dir().equals(synced)) {
            // git removes empty ref folders when it packs refs; watching refs/heads sees a peer's push make it again
            round.refs = true;
            if (Files.isDirectory(synced, LinkOption.NOFOLLOW_LINKS)) {
                folders.registerTree(synced, Area.SYNCED_REFS, walk(p -> { }, round::lost));
            }
        } else if (folder.area() == Area.GIT_DIR) {
            round.lost("the git directory " + folder.dir() + " is gone");
        }
    }

    private void deliver(Round round) {
        if (closed.get()) {
            return;
        }
        if (round.refs) {
            call("refsChanged", listener::refsChanged);
        }
        if (!round.lost.isEmpty()) {
            String reason = round.reason();
            LOG.warn("{} must be rescanned: {}", workTree, reason);
            call("rescan", () -> listener.rescan(reason));
        }
        if (!round.changed.isEmpty()) {
            Set<String> paths = Set.copyOf(round.changed);
            LOG.debug("{} paths changed in {}", paths.size(), workTree);
            call("changed", () -> listener.changed(paths));
        }
    }

    private static void call(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("the watch listener failed in {}", what, e);
        }
    }

    private void report(Path path, Round round) {
        if (!IgnoredNames.ignored(path.getFileName().toString())) {
            round.changed.add(describe(path));
        }
    }

    /** The path relative to the work tree, '/'-separated. */
    private String describe(Path path) {
        return workTree.relativize(path).toString().replace(File.separatorChar, '/');
    }

    private static WatchedFolders.Walk walk(Consumer<Path> found, Consumer<String> failed) {
        return new WatchedFolders.Walk() {
            @Override
            public void found(Path path) {
                found.accept(path);
            }

            @Override
            public void failed(Path dir, IOException e) {
                failed.accept("cannot watch " + dir + ": " + e.getMessage());
            }
        };
    }
}
