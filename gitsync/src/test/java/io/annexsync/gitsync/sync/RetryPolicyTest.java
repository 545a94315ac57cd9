package io.annexsync.gitsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final RetryPolicy NO_JITTER = new RetryPolicy(Duration.ofMinutes(1), 2, Duration.ofMinutes(30), 0);

    @Test
    void delayDoublesFromTheInitialDelay() {
        RandomGenerator random = new SplittableRandom(1);
        assertThat(NO_JITTER.delayAfter(1, random)).isEqualTo(Duration.ofMinutes(1));
        assertThat(NO_JITTER.delayAfter(2, random)).isEqualTo(Duration.ofMinutes(2));
        assertThat(NO_JITTER.delayAfter(3, random)).isEqualTo(Duration.ofMinutes(4));
        assertThat(NO_JITTER.delayAfter(5, random)).isEqualTo(Duration.ofMinutes(16));
    }

    @Test
    void delayStopsGrowingAtTheCapEvenAfterVeryManyFailures() {
        RandomGenerator random = new SplittableRandom(1);
        assertThat(NO_JITTER.delayAfter(6, random)).isEqualTo(Duration.ofMinutes(30));
        assertThat(NO_JITTER.delayAfter(1_000, random)).isEqualTo(Duration.ofMinutes(30));
        assertThat(NO_JITTER.delayAfter(Integer.MAX_VALUE, random)).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void jitterSpreadsDelaysWithinItsFractionAndNeverAboveTheCap() {
        RandomGenerator random = new SplittableRandom(42);
        RetryPolicy policy = RetryPolicy.DEFAULT;
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(policy.delayAfter(2, random));
        }
        assertThat(seen).allSatisfy(d -> assertThat(d).isBetween(Duration.ofSeconds(108), Duration.ofSeconds(132)));
        assertThat(seen).hasSizeGreaterThan(100);
        for (int i = 0; i < 200; i++) {
            assertThat(policy.delayAfter(40, random)).isBetween(Duration.ofMinutes(27), Duration.ofMinutes(30));
        }
    }

    @Test
    void fullJitterNeverGivesANegativeDelay() {
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), 1, Duration.ofSeconds(1), 1);
        RandomGenerator random = new SplittableRandom(7);
        for (int i = 0; i < 500; i++) {
            assertThat(policy.delayAfter(1, random)).isBetween(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Test
    void refusesNonsense() {
        Duration minute = Duration.ofMinutes(1);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, 2, minute, 0)).hasMessageContaining("initialDelay");
        assertThatThrownBy(() -> new RetryPolicy(minute, 0.5, minute, 0)).hasMessageContaining("factor");
        assertThatThrownBy(() -> new RetryPolicy(minute, Double.NaN, minute, 0)).hasMessageContaining("factor");
        assertThatThrownBy(() -> new RetryPolicy(minute, 2, Duration.ofSeconds(1), 0)).hasMessageContaining("cap");
        assertThatThrownBy(() -> new RetryPolicy(minute, 2, minute, 1.5)).hasMessageContaining("jitter");
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.delayAfter(0, new SplittableRandom()))
                .hasMessageContaining("failures");
    }
}
