package io.annexsync.app.assistant;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.supervise.Failures;
import io.annexsync.transfer.engine.RepoWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's one writer of the repository: every commit, merge, checkout and index update runs here, one at a time,
 * in the order asked (the actor of the folder's state). Other threads hand it {@link Task}s; a task that fails, by an
 * exception or an error other than a {@linkplain Failures#fatal fatal} one, is logged and the thread goes on. A task
 * asked for {@link #once} while an equal one is still waiting is not queued twice. Thread-safe; close it to stop the
 * thread after the task in hand and the waiting {@linkplain #essential essential} ones: merges, syncs and scans still
 * waiting are dropped (a start-up does them again), so a daemon with a backlog stops within its bound.
 */
final class RepoThread implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RepoThread.class);
    private static final long STOP_WAIT_SECONDS = 60;

    /** Work for the repository thread. */
    @FunctionalInterface
    interface Task {
        void run() throws Exception;
    }

    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;
    private final Map<String, AtomicBoolean> waiting = new ConcurrentHashMap<>();
    private final AtomicLong tasksRun = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closing;

    RepoThread(String name) {
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Runs {@code task} after the tasks already asked for; dropped if the thread closes before it starts. */
    void submit(String what, Task task) {
        enqueue(what, task, false);
    }

    /**
     * Runs {@code task} after the tasks already asked for, even when the thread closes meanwhile: work a person's
     * changes wait for (a commit), which a closing daemon still does. Asked for once closing started, it is dropped.
     */
    void essential(String what, Task task) {
        enqueue(what, task, true);
    }

    private void enqueue(String what, Task task, boolean essential) {
        if (closing) {
            return;
        }
        try {
            executor.execute(() -> run(what, task, essential));
        } catch (RejectedExecutionException e) {
            // closed meanwhile: dropped, as any task asked for after closing
        }
    }

    /**
     * Runs {@code write} on this thread after the tasks already asked for and waits for it, its failure thrown here:
     * the daemon's one writer for the transfer engine's location logs. Run at once when called on this thread, and
     * when the thread is stopped (nobody else writes then), so a write never waits for nothing.
     */
    void write(RepoWriter.Write write) throws RepoException {
        if (Thread.currentThread() == thread || executor.isShutdown()) {
            write.run();
            return;
        }
        Future<?> done;
        try {
            done = executor.submit(() -> {
                write.run();
                return null;
            });
        } catch (RejectedExecutionException e) {
            write.run(); // stopped meanwhile
            return;
        }
        while (true) {
            try {
                done.get(1, TimeUnit.SECONDS);
                return;
            } catch (TimeoutException e) {
                if (executor.isTerminated() && !done.isDone()) { // dropped by a stop that did not wait for it
                    write.run();
                    return;
                }
            } catch (CancellationException e) {
                write.run();
                return;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RepoException r) {
                    throw r;
                }
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new RepoException(String.valueOf(cause), cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RepoException("interrupted while the repository thread wrote the location logs", e);
            }
        }
    }

    /** Runs {@code task} after {@code delay}; never once closing started. */
    void schedule(String what, Task task, Duration delay) {
        if (closing) {
            return;
        }
        try {
            executor.schedule(() -> run(what, task, false), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: dropped, as any task asked for after closing
        }
    }

    /**
     * Runs {@code task} unless a task of the same {@code what} is already waiting (not yet started): a burst of
     * requests for the same work (a merge after several pushes) is done once, after the last of them.
     */
    void once(String what, Task task) {
        AtomicBoolean pending = waiting.computeIfAbsent(what, w -> new AtomicBoolean());
        if (pending.compareAndSet(false, true)) {
            submit(what, () -> {
                pending.set(false);
                task.run();
            });
        }
    }

    /** How many tasks have run so far: unchanged between two looks means the thread was idle meanwhile. */
    long tasksRun() {
        return tasksRun.get();
    }

    private void run(String what, Task task, boolean essential) {
        if (closing && !essential) {
            dropped.incrementAndGet();
            return;
        }
        tasksRun.incrementAndGet();
        try {
            task.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            if (Failures.fatal(e)) {
                uncaught(e); // the executor would keep it in a future nobody reads
            } else {
                LOG.error("{} failed: {}", what, Failures.describe(e), e);
            }
        }
    }

    /**
     * Hands {@code e} to this thread's uncaught-exception handler (the daemon's {@link ThreadFailures}: a fatal error
     * stops the daemon).
     */
    static void uncaught(Throwable e) {
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
    }

    /**
     * Lets the task in hand and the essential ones already asked for finish (bounded), drops the others, then stops
     * the thread.
     */
    @Override
    public void close() {
        closing = true;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("the repository thread did not finish within {} s; stopping it", STOP_WAIT_SECONDS);
                executor.shutdownNow();
            }
            if (dropped.get() > 0) {
                LOG.info("{} waiting tasks (merges, syncs, scans) dropped at the stop: the next start does them",
                        dropped.get());
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
