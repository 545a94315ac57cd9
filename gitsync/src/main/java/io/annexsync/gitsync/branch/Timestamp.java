package io.annexsync.gitsync.branch;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A POSIX time as the git-annex branch logs write it (FORMAT.md §5.1): seconds with a decimal fraction of up to 12
 * digits (Haskell's picosecond {@code POSIXTime}), trailing zeros removed, then {@code s}:
 * {@code 1795444480.037129475s}, {@code 1000s}. Parsing accepts an optional {@code s} and a fraction cut to 12
 * digits, within bounds a peer cannot stretch: at most {@value #MAX_SECONDS_DIGITS} digits of seconds and
 * {@value #MAX_TEXT} characters in all, so no text makes the arithmetic slow (a 10 MB number took minutes).
 *
 * @param seconds the time in seconds since the epoch, never with more than 12 decimals
 */
public record Timestamp(BigDecimal seconds) implements Comparable<Timestamp> {
    private static final int MAX_SCALE = 12;
    /** Digits of whole seconds read: 20 is some 3 × 10^12 years, far past any clock. */
    static final int MAX_SECONDS_DIGITS = 20;
    /** The longest timestamp text read, fraction and sign included. */
    static final int MAX_TEXT = 64;
    private static final Pattern SYNTAX = Pattern.compile("-?[0-9]+(\\.[0-9]*)?s?");

    public Timestamp {
        Objects.requireNonNull(seconds, "seconds");
        seconds = seconds.setScale(Math.min(Math.max(seconds.scale(), 0), MAX_SCALE), RoundingMode.FLOOR);
    }

    /** Parses {@code 1795444480.037129475s}, {@code 1000s} or {@code 1000}; empty when the text is not a time. */
    public static Optional<Timestamp> parse(String text) {
        if (text.length() > MAX_TEXT || !SYNTAX.matcher(text).matches()) {
            return Optional.empty();
        }
        String number = text.endsWith("s") ? text.substring(0, text.length() - 1) : text;
        int dot = number.indexOf('.');
        int seconds = (dot < 0 ? number.length() : dot) - (number.startsWith("-") ? 1 : 0);
        if (seconds > MAX_SECONDS_DIGITS) {
            return Optional.empty();
        }
        return Optional.of(new Timestamp(new BigDecimal(number)));
    }

    /** The time of an instant, to the nanosecond. */
    public static Timestamp of(Instant instant) {
        BigDecimal nanos = BigDecimal.valueOf(instant.getNano(), 9);
        return new Timestamp(BigDecimal.valueOf(instant.getEpochSecond()).add(nanos));
    }

    /** The current time of a clock. */
    public static Timestamp now(Clock clock) {
        return of(clock.instant());
    }

    /**
     * The timestamp for a new value of a field whose previous value carries {@code previous} (the vector clock rule of
     * FORMAT.md §5.1): now, unless the previous one is not older than now, then previous plus one second, so that a
     * new value never loses to an old one because of clock skew.
     */
    public static Timestamp next(Clock clock, Optional<Timestamp> previous) {
        Timestamp now = now(clock);
        return previous.filter(p -> p.compareTo(now) >= 0).map(p -> p.plusSeconds(1)).orElse(now);
    }

    /** This time plus whole seconds. */
    public Timestamp plusSeconds(long delta) {
        return new Timestamp(seconds.add(BigDecimal.valueOf(delta)));
    }

    /** The text git-annex writes: {@code 1795444555.18556308s}, or {@code 1000s} without a fraction. */
    public String format() {
        return (seconds.signum() == 0 ? "0" : seconds.stripTrailingZeros().toPlainString()) + "s";
    }

    @Override
    public int compareTo(Timestamp o) {
        return seconds.compareTo(o.seconds);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Timestamp t && seconds.compareTo(t.seconds) == 0;
    }

    @Override
    public int hashCode() {
        return seconds.stripTrailingZeros().hashCode();
    }

    @Override
    public String toString() {
        return format();
    }
}
