package io.annexsync.gitsync.supervise;

import io.annexsync.gitsync.sync.RetryPolicy;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one long-running loop of its owner's thread going (a transfer worker, the folder watcher): when the loop
 * throws what it did not expect, the failure is logged (each cause once, with its stack trace; again only at debug
 * level), the loop waits out a back-off and runs again, in the same thread. A loop that ran {@link #HEALTHY} before it
 * failed starts the back-off anew. A {@linkplain Failures#fatal fatal} error is thrown on to the thread's
 * uncaught-exception handler, which stops the process. Used by one thread at a time; the thread's owner stops it
 * through {@code stopping} and by waking {@link Pause}.
 */
public final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    /** One second, doubling, at most a minute, ± 10 %. */
    public static final RetryPolicy RESTART = new RetryPolicy(Duration.ofSeconds(1), 2, Duration.ofMinutes(1), 0.1);
    /** How long a loop must have run without failing for its next failure to count as the first. */
    public static final Duration HEALTHY = Duration.ofMinutes(5);
    /** Causes remembered as logged, so a loop failing in many ways does not grow memory. */
    private static final int CAUSES = 32;

    /** The loop: returns when it is done (its owner is stopping). */
    @FunctionalInterface
    public interface Loop {
        void run() throws Exception;
    }

    /** Waits between a failure and the restart; the owner wakes it early when it stops. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration delay) throws InterruptedException;
    }

    private final String name;
    private final RetryPolicy backoff;
    private final BooleanSupplier stopping;
    private final Pause pause;
    private final LongSupplier nanoTime;
    private final SplittableRandom random = new SplittableRandom();
    private final Set<String> logged = new LinkedHashSet<>();
    private final AtomicInteger restarts = new AtomicInteger();

    /**
     * A supervisor of the loop called {@code name} (in the log), restarting it after {@code backoff} while {@code
     * stopping} is false; {@code nanoTime} is the clock of {@link #HEALTHY}.
     */
    public Supervisor(String name, RetryPolicy backoff, BooleanSupplier stopping, Pause pause, LongSupplier nanoTime) {
        this.name = Objects.requireNonNull(name, "name");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.stopping = Objects.requireNonNull(stopping, "stopping");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** A supervisor with {@link #RESTART}, pausing by sleeping, on the system's clock. */
    public static Supervisor of(String name, BooleanSupplier stopping, Pause pause) {
        return new Supervisor(name, RESTART, stopping, pause, System::nanoTime);
    }

    /** How often the loop was started again after a failure. */
    public int restarts() {
        return restarts.get();
    }

    /**
     * Runs {@code loop} until it returns or its owner stops, starting it again after each unexpected failure.
     *
     * @throws Error a {@linkplain Failures#fatal fatal} one, as it came
     */
    public void run(Loop loop) {
        int failures = 0;
        while (!stopping.getAsBoolean()) {
            long start = nanoTime.getAsLong();
            try {
                loop.run();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) {
                Failures.rethrowIfFatal(e);
                if (stopping.getAsBoolean()) {
                    return;
                }
                failures = nanoTime.getAsLong() - start >= HEALTHY.toNanos() ? 1 : failures + 1;
                Duration delay = backoff.delayAfter(failures, random);
                said(e, delay);
                restarts.incrementAndGet();
                try {
                    pause.pause(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void said(Throwable e, Duration delay) {
        String cause = Failures.describe(e);
        if (logged.add(cause)) {
            if (logged.size() > CAUSES) {
                logged.remove(logged.iterator().next());
            }
            LOG.warn("{} failed unexpectedly ({}); it starts again in {} ms, later ones after a growing delay (this "
                    + "cause is logged once)", name, cause, delay.toMillis(), e);
        } else {
            LOG.debug("{} failed again ({}); it starts again in {} ms", name, cause, delay.toMillis());
        }
    }
}
