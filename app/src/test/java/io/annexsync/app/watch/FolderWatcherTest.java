package io.annexsync.app.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a real {@link FolderWatcher} on a temporary work tree reports to its listener. */
class FolderWatcherTest {
    @TempDir
    Path tmp;
    private Path tree;
    private Path git;
    private final Recorder listener = new Recorder();
    private FolderWatcher watcher;

    /** Holds the watcher thread in a {@code changed} call until released, so that events pile up meanwhile. */
    private static final class Gate {
        final CountDownLatch blocked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
    }

    /** Records every call; a {@code changed} call can be made to wait at a {@link Gate}. */
    private static final class Recorder implements WatchListener {
        final Set<String> changed = ConcurrentHashMap.newKeySet();
        final AtomicInteger refs = new AtomicInteger();
        final List<String> rescans = new CopyOnWriteArrayList<>();
        final AtomicReference<Gate> next = new AtomicReference<>();
        final List<Gate> gates = new CopyOnWriteArrayList<>();
        final AtomicReference<Error> failNext = new AtomicReference<>();

        @Override
        public void changed(Set<String> paths) {
            changed.addAll(paths);
            Error failure = failNext.getAndSet(null);
            if (failure != null) {
                throw failure;
            }
            Gate gate = next.getAndSet(null);
            if (gate != null) {
                gate.blocked.countDown();
                try {
                    gate.release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void refsChanged() {
            refs.incrementAndGet();
        }

        @Override
        public void rescan(String reason) {
            rescans.add(reason);
        }
    }

    @BeforeEach
    void makeRepository() throws IOException {
        tree = Files.createDirectories(tmp.resolve("tree"));
        git = Files.createDirectories(tree.resolve(".git"));
        Files.createDirectories(git.resolve("refs/heads"));
        Files.createDirectories(git.resolve("objects"));
        Files.writeString(git.resolve("HEAD"), "ref: refs/heads/main\n");
    }

    @AfterEach
    void stop() {
        listener.gates.forEach(g -> g.release.countDown());
        if (watcher != null) {
            watcher.close();
        }
    }

    private void start() throws IOException {
        watcher = FolderWatcher.start(tree, git, listener);
    }

    /** Makes the watcher thread wait in the listener (reporting {@code trigger}) until the gate is released. */
    private Gate blockTheWatcher(String trigger) throws IOException {
        Gate gate = new Gate();
        listener.gates.add(gate);
        listener.next.set(gate);
        Files.writeString(tree.resolve(trigger), "x");
        eventually().until(() -> gate.blocked.getCount() == 0);
        return gate;
    }

    /** Writes {@code marker} in the work tree and waits for it: the events before it have been delivered too. */
    private void awaitAllEventsSoFar(String marker) throws IOException {
        Files.writeString(tree.resolve(marker), "x");
        awaitChanged(marker);
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(20));
    }

    private void awaitChanged(String... paths) {
        eventually().untilAsserted(() -> assertThat(listener.changed).contains(paths));
    }

    @Test
    void reportsANewFileByItsRelativeSlashSeparatedPath() throws IOException {
        Files.createDirectories(tree.resolve("docs/old"));
        Files.writeString(tree.resolve("docs/old/existing.txt"), "before");
        start();

        Files.writeString(tree.resolve("docs/old/new.txt"), "x");

        awaitChanged("docs/old/new.txt");
        assertThat(listener.changed).doesNotContain("docs/old/existing.txt");
        assertThat(listener.rescans).isEmpty();
    }

    @Test
    void neverMissesAFileWrittenRightAfterItsFoldersWereMade() throws IOException {
        start();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Path dir = Files.createDirectories(tree.resolve("a" + i + "/b"));
            Files.writeString(dir.resolve("c"), "x");
            expected.add("a" + i + "/b/c");
        }

        eventually().untilAsserted(() -> assertThat(listener.changed).containsAll(expected));
    }

    @Test
    void neverReportsWhatIsUnderGit() throws IOException {
        start();
        Files.writeString(git.resolve("index"), "index");
        Files.createDirectories(git.resolve("objects/ab"));
        Files.writeString(git.resolve("objects/ab/cdef"), "object");
        Files.writeString(git.resolve("refs/heads/main.lock"), "0123\n");
        Files.createDirectories(tree.resolve("sub/.git/objects"));
        Files.writeString(tree.resolve("sub/.git/config"), "[core]\n");
        Files.writeString(tree.resolve("marker"), "after the rest");

        awaitChanged("marker");
        assertThat(listener.changed).noneMatch(p -> p.startsWith(".git") || p.contains("/.git"));
        assertThat(listener.refs).hasValue(0); // a lock file is not a ref yet
    }

    @Test
    void aBranchMovedInRefsHeadsCallsRefsChanged() throws IOException {
        start();
        // a push into the checked-out branch, a reset: git writes NAME.lock, then renames it
        Files.writeString(git.resolve("refs/heads/main.lock"), "0123\n");
        Files.move(git.resolve("refs/heads/main.lock"), git.resolve("refs/heads/main"), StandardCopyOption.ATOMIC_MOVE);

        eventually().until(() -> listener.refs.get() > 0);
        assertThat(listener.changed).isEmpty();
    }

    @Test
    void neverReportsIgnoredNamesButReportsTheNameTheyAreRenamedTo() throws IOException {
        start();
        Files.writeString(tree.resolve("x.swp"), "swap");
        Files.writeString(tree.resolve("notes.txt~"), "backup");
        Files.writeString(tree.resolve(".notes.txt.swx"), "draft");
        Files.move(tree.resolve(".notes.txt.swx"), tree.resolve("notes.txt"), StandardCopyOption.ATOMIC_MOVE);

        awaitChanged("notes.txt");
        assertThat(listener.changed).containsOnly("notes.txt");
    }

    @Test
    void reportsTheFilesOfAFolderMovedInFromOutsideAndWatchesIt() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside/sub/deep"));
        Files.writeString(outside.resolve("f1"), "1");
        Files.writeString(tmp.resolve("outside/f2"), "2");
        start();

        Files.move(tmp.resolve("outside"), tree.resolve("moved"), StandardCopyOption.ATOMIC_MOVE);
        awaitChanged("moved", "moved/f2", "moved/sub/deep/f1");

        Files.writeString(tree.resolve("moved/sub/deep/later"), "3");
        awaitChanged("moved/sub/deep/later");
    }

    @Test
    void reportsADeletedFile() throws IOException {
        Files.writeString(tree.resolve("gone.txt"), "x");
        start();

        Files.delete(tree.resolve("gone.txt"));

        awaitChanged("gone.txt");
    }

    @Test
    void keepsWatchingAFolderRenamedIntoAnotherFolderAfterItsOldNameIsReused() throws IOException {
        for (int i = 0; i < 3; i++) { // the watcher must see the new name first: a few tries make that near certain
            String x = "x" + i;
            String y = "y" + i;
            Files.createDirectories(tree.resolve(x + "/a"));
            Files.createDirectories(tree.resolve(y));
            if (watcher == null) {
                start();
            } else {
                awaitChanged(x + "/a", y);
            }
            Gate gate = blockTheWatcher("trigger" + i);

            // while the watcher waits, y signals before x: the rename's new name is handled before its old one,
            // and registering y/b returns the key still registered for x/a (inotify follows the inode)
            Files.writeString(tree.resolve(y + "/z"), "z");
            Files.move(tree.resolve(x + "/a"), tree.resolve(y + "/b"), StandardCopyOption.ATOMIC_MOVE);
            gate.release.countDown();
            awaitChanged(y + "/z", y + "/b", x + "/a");

            Files.createDirectories(tree.resolve(x + "/a")); // a new folder under the old name: y/b stays watched
            Files.writeString(tree.resolve(x + "/a/inside"), "x");
            awaitChanged(x + "/a/inside");
            Files.writeString(tree.resolve(y + "/b/new"), "x");
            awaitChanged(y + "/b/new");
        }
    }

    @Test
    void aRefPushedIntoSyncedCallsRefsChanged() throws IOException {
        Path synced = Files.createDirectories(git.resolve("refs/heads/synced"));
        start();
        Files.writeString(synced.resolve("main.lock"), "0123\n"); // git writes NAME.lock, then renames it
        Files.move(synced.resolve("main.lock"), synced.resolve("main"), StandardCopyOption.ATOMIC_MOVE);
        eventually().until(() -> listener.refs.get() > 0);

        Files.createDirectories(synced.resolve("peer"));
        awaitAllEventsSoFar("marker");
        int before = listener.refs.get();
        Files.writeString(synced.resolve("peer/git-annex"), "4567\n");
        eventually().until(() -> listener.refs.get() > before);
        assertThat(listener.changed).containsOnly("marker");
    }

    @Test
    void aFirstPushThatMakesSyncedCallsRefsChangedAndIsWatchedFromThen() throws IOException {
        Path synced = git.resolve("refs/heads/synced");
        start();
        assertThat(synced).as("made by start").doesNotExist();

        Files.createDirectories(synced);
        Files.writeString(synced.resolve("main"), "0123\n");
        eventually().until(() -> listener.refs.get() > 0);
        awaitAllEventsSoFar("marker");
        int before = listener.refs.get();
        Files.writeString(synced.resolve("git-annex"), "4567\n");
        eventually().until(() -> listener.refs.get() > before);
    }

    @Test
    void rewritingPackedRefsCallsRefsChanged() throws IOException {
        Files.writeString(git.resolve("packed-refs"), "# pack-refs with: peeled\n");
        start();

        Files.writeString(git.resolve("packed-refs.lock"), "# pack-refs with: peeled fully-peeled\n");
        Files.move(git.resolve("packed-refs.lock"), git.resolve("packed-refs"), StandardCopyOption.ATOMIC_MOVE);

        eventually().until(() -> listener.refs.get() > 0);
    }

    @Test
    void asksForARescanWhenEventsWereLost() throws IOException {
        Path many = Files.createDirectories(tree.resolve("many"));
        start();
        Gate gate = blockTheWatcher("first");

        // the JDK keeps at most 512 events of one folder while they are not taken, then says OVERFLOW
        for (int i = 0; i < 2000; i++) {
            Files.createFile(many.resolve("f" + i));
        }
        gate.release.countDown();

        eventually().untilAsserted(() -> assertThat(listener.rescans).anyMatch(r -> r.contains("events were lost")));
        Files.writeString(many.resolve("after"), "x");
        awaitChanged("many/after");
    }

    @Test
    void anErrorThatEndsTheWatchingLoopStartsItAgainWithARescan() throws IOException {
        start();
        listener.failNext.set(new StackOverflowError());
        Files.writeString(tree.resolve("boom"), "x");
        eventually().untilAsserted(() -> assertThat(listener.rescans)
                .contains("the watcher failed and started again"));
        awaitAllEventsSoFar("after");
        assertThat(watcherThreads()).hasSize(1);
    }

    @Test
    void closeStopsTheThreadAndCanBeCalledTwice() throws IOException {
        start();
        assertThat(watcherThreads()).isNotEmpty();

        watcher.close();
        assertThat(watcherThreads()).isEmpty();
        watcher.close();
        assertThat(watcherThreads()).isEmpty();
    }

    private static List<Thread> watcherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(FolderWatcher.THREAD_NAME) && t.isAlive()).toList();
    }
}
