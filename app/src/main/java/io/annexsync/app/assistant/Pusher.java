package io.annexsync.app.assistant;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.supervise.Failures;
import io.annexsync.gitsync.sync.PushOutcome;
import io.annexsync.gitsync.sync.PushStatus;
import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.gitsync.sync.SyncSteps;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the current branch and the git-annex branch to remotes, each remote in its own lane: a slow or hung remote
 * holds up only itself, and requests that arrive while a lane pushes are folded into one more push after it. A push
 * may wait (bounded) for a gate first, the uploads of the commit it carries, so a peer merges the commit with the
 * content already there. A remote that rejects the push (another peer pushed to it meanwhile) is handed back to be
 * fetched and merged, then pushed again; one that fails is owed a push. Thread-safe; owns its threads
 * ({@code annex-sync-push-N}); close it to stop them.
 */
final class Pusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pusher.class);
    /** How long a push waits for the uploads of its commit before it goes anyway. */
    static final Duration GATE_WAIT = Duration.ofSeconds(3);
    /** Rejections in a row after which the remote is owed a push instead of merged and pushed again. */
    private static final int MAX_REJECTIONS = 8;
    /**
     * The wait before merging and pushing again after a rejection: 0.1 s doubling to 10 s, ± 50 %, so that two
     * daemons pushing into the same remote stop running into each other.
     */
    static final RetryPolicy REJECTED_RETRY = new RetryPolicy(Duration.ofMillis(100), 2, Duration.ofSeconds(10), 0.5);

    private final SyncSteps steps;
    private final StatusBoard board;
    private final BiConsumer<RemoteConfig, Duration> onRejected;
    private final BiConsumer<RemoteConfig, PushOutcome> onFailed;
    private final ExecutorService threads;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * {@code onRejected} gets a remote whose push was rejected, to fetch, merge and push again after the delay it
     * gets with it; {@code onFailed} the outcome of one that failed otherwise (an unreachable one is synced with once
     * it is back, one whose disk is full once it has space again).
     */
    Pusher(SyncSteps steps, StatusBoard board, BiConsumer<RemoteConfig, Duration> onRejected,
            BiConsumer<RemoteConfig, PushOutcome> onFailed) {
        this.steps = steps;
        this.board = board;
        this.onRejected = onRejected;
        this.onFailed = onFailed;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "annex-sync-push-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Pushes to each of {@code remotes} once {@code gate} completes (or {@link #GATE_WAIT} passed). */
    void push(List<RemoteConfig> remotes, CompletableFuture<?> gate) {
        for (RemoteConfig r : remotes) {
            lanes.computeIfAbsent(r.name(), name -> new Lane()).request(r, gate);
        }
    }

    /** One remote's pushes, one at a time. */
    private final class Lane {
        private RemoteConfig remote;
        private CompletableFuture<?> gate = CompletableFuture.completedFuture(null);
        private boolean wanted;
        private boolean running;
        private int rejections;

        synchronized void request(RemoteConfig r, CompletableFuture<?> g) {
            remote = r;
            gate = wanted ? CompletableFuture.allOf(gate, g) : g;
            wanted = true;
            if (!running && !closed) {
                running = true;
                threads.execute(this::loop);
            }
        }

        private void loop() {
            while (true) {
                RemoteConfig r;
                CompletableFuture<?> g;
                synchronized (this) {
                    if (!wanted || closed) {
                        running = false;
                        return;
                    }
                    wanted = false;
                    r = remote;
                    g = gate;
                }
                long start = System.nanoTime();
                awaitGate(g);
                LOG.debug("push to {} waited {} ms for its uploads", r.name(), (System.nanoTime() - start) / 1_000_000);
                pushOnce(r);
            }
        }

        private void pushOnce(RemoteConfig r) {
            try {
                PushOutcome o = steps.push(List.of(r)).get(0);
                board.pushed(o);
                if (o.status() == PushStatus.REJECTED && ++rejections <= MAX_REJECTIONS) {
                    Duration delay = rejections == 1 ? Duration.ZERO
                            : REJECTED_RETRY.delayAfter(rejections - 1, ThreadLocalRandom.current());
                    LOG.info("{} rejected the push (a peer pushed to it meanwhile); fetching and merging first{}",
                            r.name(), delay.isZero() ? "" : " in " + delay.toMillis() + " ms");
                    onRejected.accept(r, delay);
                    return;
                }
                rejections = 0;
                steps.record(List.of(o));
                if (!o.succeeded()) {
                    onFailed.accept(r, o);
                }
                if (o.succeeded()) {
                    LOG.debug("pushed to {} in {} ms: {}", r.name(), o.elapsed().toMillis(), o.status());
                } else {
                    LOG.warn("push to {} failed ({}); it is owed a push, tried again when it is back or at the next "
                            + "retry", r.name(), o.message());
                }
            } catch (RepoException | RuntimeException e) {
                LOG.warn("push to {} could not run: {}", r.name(), e.getMessage());
            } catch (Error e) {
                Failures.rethrowIfFatal(e);
                owe(r, e);
            }
        }

        /** A push ended by an unexpected error (the lane goes on): the remote is owed a push, tried again later. */
        private void owe(RemoteConfig r, Error e) {
            LOG.warn("push to {} failed unexpectedly ({}); it is owed a push", r.name(), Failures.describe(e), e);
            PushOutcome failed = new PushOutcome(r.name(), PushStatus.FAILED, "push to " + r.name()
                    + " failed: " + Failures.describe(e), Duration.ZERO);
            board.pushed(failed);
            try {
                steps.record(List.of(failed));
            } catch (RepoException | RuntimeException again) {
                LOG.warn("cannot record the push owed to {}: {}", r.name(), again.getMessage());
            }
        }
    }

    private static void awaitGate(CompletableFuture<?> gate) {
        try {
            gate.get(GATE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // push anyway: the peer gets the content by its own download, or with the next push
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lets pushes in hand finish (at most {@code wait}), then stops the lanes; waiting requests are dropped. */
    void close(Duration wait) {
        closed = true;
        threads.shutdown();
        try {
            if (!threads.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
