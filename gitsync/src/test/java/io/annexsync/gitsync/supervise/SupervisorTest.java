package io.annexsync.gitsync.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.gitsync.sync.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SupervisorTest {
    private static final RetryPolicy BACKOFF = new RetryPolicy(Duration.ofSeconds(1), 2, Duration.ofSeconds(8), 0);

    private final AtomicLong now = new AtomicLong();
    private final List<Duration> pauses = new ArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();

    private Supervisor supervisor() {
        return new Supervisor("test loop", BACKOFF, stopping::get, d -> {
            pauses.add(d);
            now.addAndGet(d.toNanos());
        }, now::get);
    }

    @Test
    void restartsALoopThatFailedUnexpectedlyWithAGrowingBackOff() {
        AtomicInteger runs = new AtomicInteger();
        Supervisor s = supervisor();
        s.run(() -> {
            switch (runs.incrementAndGet()) {
                case 1 -> throw new UncheckedIOException(new IOException("No space left on device"));
                case 2 -> throw new StackOverflowError();
                case 3 -> throw new IllegalStateException("a bug");
                default -> { } // done: its owner stops
            }
        });
        assertThat(runs).hasValue(4);
        assertThat(s.restarts()).isEqualTo(3);
        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void theBackOffIsCappedAndStartsAnewAfterTheLoopRanHealthy() {
        AtomicInteger runs = new AtomicInteger();
        supervisor().run(() -> {
            int n = runs.incrementAndGet();
            if (n == 6) {
                now.addAndGet(Supervisor.HEALTHY.toNanos()); // ran a long while before this failure
            }
            if (n <= 6) {
                throw new IllegalStateException("failure " + n);
            }
        });
        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(8), Duration.ofSeconds(1));
    }

    @Test
    void aFatalErrorIsThrownOnAndNotRestarted() {
        AtomicInteger runs = new AtomicInteger();
        Supervisor s = supervisor();
        assertThatThrownBy(() -> s.run(() -> {
            runs.incrementAndGet();
            throw new OutOfMemoryError("Java heap space");
        })).isInstanceOf(OutOfMemoryError.class);
        assertThat(runs).hasValue(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void aLoopFailingWhileItsOwnerStopsIsNotRestarted() {
        AtomicInteger runs = new AtomicInteger();
        supervisor().run(() -> {
            runs.incrementAndGet();
            stopping.set(true);
            throw new IllegalStateException("closed under it");
        });
        assertThat(runs).hasValue(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void onlyVirtualMachineFailuresOtherThanAStackOverflowAreFatal() {
        assertThat(Failures.fatal(new OutOfMemoryError())).isTrue();
        assertThat(Failures.fatal(new InternalError())).isTrue();
        assertThat(Failures.fatal(new StackOverflowError())).isFalse();
        assertThat(Failures.fatal(new NoClassDefFoundError("x"))).isFalse();
        assertThat(Failures.fatal(new UncheckedIOException(new IOException("No space left on device")))).isFalse();
        assertThat(Failures.fatal(new AssertionError())).isFalse();
    }
}
