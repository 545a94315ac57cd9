package io.annexsync.app.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The pieces of a transfer progress line: a bar, sizes in binary units ({@code 12.3 MiB}), a rate and the time left.
 * Compact on purpose, unlike git-annex's {@code 102.4 kilobytes} of {@code info}, so a line fits a terminal.
 * Stateless.
 */
final class TransferUnits {
    /** The widest a bar gets between its brackets. */
    static final int BAR_WIDTH = 20;
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private TransferUnits() {}

    /** {@code 512 B}, {@code 1.0 KiB}, {@code 12.3 MiB}: one decimal from KiB on. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n / 1024.0;
        int unit = 0;
        // what would print as 1024.0 goes up a unit: 1048575 bytes is 1.0 MiB, never 1024.0 KiB
        while (unit < UNITS.length - 1 && v >= 1023.95) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }

    /** {@code [#########-----------]}, {@code width} wide between brackets: done out of size; blank when unknown. */
    static String bar(OptionalLong done, OptionalLong size, int width) {
        OptionalDouble fraction = fraction(done, size);
        int filled = fraction.isPresent() ? (int) Math.floor(fraction.getAsDouble() * width) : 0;
        char rest = fraction.isPresent() ? '-' : ' ';
        return "[" + "#".repeat(filled) + String.valueOf(rest).repeat(width - filled) + "]";
    }

    /** {@code 42%}, rounded down so that 100% means done; {@code ?%} when unknown. */
    static String percent(OptionalLong done, OptionalLong size) {
        OptionalDouble fraction = fraction(done, size);
        return fraction.isPresent() ? (int) Math.floor(fraction.getAsDouble() * 100) + "%" : "?%";
    }

    /** Done out of size, between 0 and 1; empty when either is unknown. An empty key is done from the start. */
    static OptionalDouble fraction(OptionalLong done, OptionalLong size) {
        if (done.isEmpty() || size.isEmpty()) {
            return OptionalDouble.empty();
        }
        if (size.getAsLong() == 0) {
            return OptionalDouble.of(1);
        }
        return OptionalDouble.of(Math.min(1, Math.max(0, (double) done.getAsLong() / size.getAsLong())));
    }

    /** {@code 12.3 MiB / 40.0 MiB}, with {@code ?} for what is unknown. */
    static String doneOfSize(OptionalLong done, OptionalLong size) {
        return known(done) + " / " + known(size);
    }

    private static String known(OptionalLong n) {
        return n.isPresent() ? bytes(n.getAsLong()) : "?";
    }

    /** {@code 1.5 MiB/s}. */
    static String rate(double bytesPerSecond) {
        return bytes(Math.round(Math.max(0, bytesPerSecond))) + "/s";
    }

    /**
     * Bytes a second between two samples of bytes done, {@code seconds} apart; empty when no time passed or the count
     * went back (the transfer started again).
     */
    static OptionalDouble rate(long bytesBefore, long bytesNow, Duration between) {
        double seconds = between.toNanos() / 1e9;
        if (seconds <= 0 || bytesNow < bytesBefore) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((bytesNow - bytesBefore) / seconds);
    }

    /** How long the rest takes at {@code bytesPerSecond}; empty when anything is unknown or nothing moves. */
    static Optional<Duration> timeLeft(OptionalLong done, OptionalLong size, OptionalDouble bytesPerSecond) {
        if (done.isEmpty() || size.isEmpty() || bytesPerSecond.isEmpty() || bytesPerSecond.getAsDouble() <= 0) {
            return Optional.empty();
        }
        long rest = Math.max(0, size.getAsLong() - done.getAsLong());
        return Optional.of(Duration.ofSeconds((long) Math.ceil(rest / bytesPerSecond.getAsDouble())));
    }

    /** {@code 0s}, {@code 59s}, {@code 3m07s}, {@code 1h02m}, {@code 2d03h}: two units at most. */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }
}
