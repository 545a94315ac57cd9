package io.annexsync.app.assistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The order, deduplication, failure handling and closing of the daemon's {@link RepoThread}. */
class RepoThreadTest {
    private static final String NAME = "annex-sync-repo-test";
    private final RepoThread repo = new RepoThread(NAME);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        repo.close();
    }

    /** Blocks the repository thread until {@link #release} counts down; returns once it is blocked. */
    private void blockTheThread() throws InterruptedException {
        CountDownLatch blocked = new CountDownLatch(1);
        repo.submit("block", () -> {
            blocked.countDown();
            release.await(30, TimeUnit.SECONDS);
        });
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Waits until every task asked for so far has run. */
    private void drain() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        repo.submit("drain", done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void runsTasksInOrderOnOneThreadWithTheGivenName() throws InterruptedException {
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            repo.submit("task " + i, () -> {
                order.add(n);
                threads.add(Thread.currentThread().getName());
            });
        }
        drain();

        assertThat(order).hasSize(100).isSorted();
        assertThat(threads).containsOnly(NAME);
    }

    @Test
    void onceRunsATaskAskedManyTimesWhileWaitingOnlyOnce() throws InterruptedException {
        AtomicInteger merges = new AtomicInteger();
        blockTheThread();
        for (int i = 0; i < 10; i++) {
            repo.once("merge", merges::incrementAndGet);
        }
        AtomicInteger commits = new AtomicInteger();
        repo.once("commit", commits::incrementAndGet);
        release.countDown();
        drain();

        assertThat(merges).hasValue(1);
        assertThat(commits).as("another what is not deduplicated with merge").hasValue(1);
    }

    @Test
    void onceRunsAgainWhenAskedAfterTheTaskStarted() throws InterruptedException {
        AtomicInteger merges = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        repo.once("merge", () -> {
            merges.incrementAndGet();
            started.countDown();
            release.await(30, TimeUnit.SECONDS);
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        repo.once("merge", merges::incrementAndGet);
        repo.once("merge", merges::incrementAndGet);
        release.countDown();
        drain();

        assertThat(merges).hasValue(2);
    }

    @Test
    void logsAFailingTaskAndGoesOnOnTheSameThread() throws InterruptedException {
        Logger logger = (Logger) LoggerFactory.getLogger(RepoThread.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        logger.setAdditive(false); // the failures are expected: keep them out of the build's output
        try {
            AtomicReference<Thread> before = new AtomicReference<>();
            AtomicReference<Thread> after = new AtomicReference<>();
            repo.submit("first", () -> before.set(Thread.currentThread()));
            repo.submit("commit", () -> {
                throw new IOException("disk full");
            });
            repo.submit("merge", () -> {
                throw new IllegalStateException("conflict");
            });
            repo.submit("last", () -> after.set(Thread.currentThread()));
            drain();

            assertThat(after.get()).isNotNull().isSameAs(before.get());
            assertThat(log.list).filteredOn(e -> e.getLevel() == Level.ERROR)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("commit failed: disk full", "merge failed: conflict");
        } finally {
            logger.setAdditive(true);
            logger.detachAppender(log);
        }
    }

    @Test
    void aTaskEndedByAnErrorThatLeavesTheProcessSafeIsLoggedAndTheThreadGoesOn() throws InterruptedException {
        Logger logger = (Logger) LoggerFactory.getLogger(RepoThread.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        logger.setAdditive(false);
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        try {
            AtomicReference<Thread> before = new AtomicReference<>();
            AtomicReference<Thread> after = new AtomicReference<>();
            repo.submit("first", () -> {
                before.set(Thread.currentThread());
                Thread.currentThread().setUncaughtExceptionHandler((t, e) -> uncaught.set(e));
            });
            repo.submit("scan", () -> {
                throw new StackOverflowError();
            });
            repo.submit("last", () -> after.set(Thread.currentThread()));
            drain();

            assertThat(after.get()).isNotNull().isSameAs(before.get());
            assertThat(uncaught.get()).as("not the daemon's fate: only the task failed").isNull();
            assertThat(log.list).filteredOn(e -> e.getLevel() == Level.ERROR)
                    .extracting(ILoggingEvent::getFormattedMessage).containsExactly("scan failed: StackOverflowError");
        } finally {
            logger.setAdditive(true);
            logger.detachAppender(log);
        }
    }

    @Test
    void closeLetsTheEssentialWaitingTasksFinishDropsTheOthersThenStopsTheThread() throws InterruptedException {
        List<String> ran = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> worker = new AtomicReference<>();
        blockTheThread();
        for (int i = 0; i < 50; i++) {
            String merge = "merge " + i;
            repo.submit(merge, () -> ran.add(merge)); // a backlog of merges, as rejected pushes queue them
            repo.once("rescan", () -> ran.add("rescan"));
            if (i % 10 == 0) {
                String commit = "commit " + i;
                repo.essential(commit, () -> {
                    ran.add(commit);
                    worker.set(Thread.currentThread());
                });
            }
        }
        repo.schedule("merge again", () -> ran.add("merge again"), Duration.ZERO);
        Thread closer = Thread.ofVirtual().name("closer").start(repo::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> closer.getState() == Thread.State.TIMED_WAITING);
        repo.submit("asked after closing", () -> ran.add("asked after closing"));
        repo.essential("commit asked after closing", () -> ran.add("commit asked after closing"));
        repo.schedule("scheduled after closing", () -> ran.add("scheduled after closing"), Duration.ZERO);
        assertThat(ran).isEmpty();

        release.countDown();
        assertThat(closer.join(Duration.ofSeconds(20))).as("close returned").isTrue();
        assertThat(ran).containsExactly("commit 0", "commit 10", "commit 20", "commit 30", "commit 40");
        worker.get().join(Duration.ofSeconds(10));
        assertThat(worker.get().isAlive()).isFalse();
    }
}
