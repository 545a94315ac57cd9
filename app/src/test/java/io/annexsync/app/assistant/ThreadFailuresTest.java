package io.annexsync.app.assistant;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {
    private final AtomicInteger stops = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ThreadFailures handler = new ThreadFailures(() -> {
        stops.incrementAndGet();
        stopped.countDown();
    });

    private void dies(String name, Throwable e) throws InterruptedException {
        Thread t = new Thread(() -> {
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) e;
        }, name);
        t.setUncaughtExceptionHandler(handler);
        t.start();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
    }

    @Test
    void aLibraryThreadFailingOfAFullDiskDoesNotStopTheDaemon() throws InterruptedException {
        // what JGit's in-process receive-pack thread threw when the remote's disk filled up
        dies("JGit-Receive-Pack", new UncheckedIOException(new IOException("No space left on device")));
        dies("JGit-Receive-Pack", new RuntimeException(new IOException("No space left on device")));
        dies("sqlite-worker", new IllegalStateException("database is locked"));
        dies("pool-3-thread-1", new StackOverflowError());
        assertThat(stopped.await(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(stops).hasValue(0);
    }

    @Test
    void aShortTaskOfTheDaemonEndingByAnErrorDoesNotStopItEither() throws InterruptedException {
        dies("annex-sync-push-3", new NoClassDefFoundError("org/example/Gone"));
        dies("annex-sync-timer", new IllegalStateException("a bug"));
        assertThat(stopped.await(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(stops).hasValue(0);
    }

    @Test
    void runningOutOfMemoryInAnyThreadStopsTheDaemonOnce() throws InterruptedException {
        dies("JGit-Receive-Pack", new OutOfMemoryError("Java heap space"));
        dies("annex-sync-repo", new OutOfMemoryError("Java heap space"));
        assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stops).hasValue(1);
    }
}
