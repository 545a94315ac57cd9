package io.annexsync.gitsync.info;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes written as git-annex writes them: decimal units, up to two decimals, {@code 102.4 kilobytes}. */
public final class Sizes {
    private static final String[] UNITS = {"kilobyte", "megabyte", "gigabyte", "terabyte", "petabyte"};

    private static final Pattern SIZE = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([a-z]*)\\s*");
    private static final Map<String, Long> MULTIPLIERS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L), Map.entry("byte", 1L), Map.entry("bytes", 1L),
            Map.entry("k", 1000L), Map.entry("kb", 1000L), Map.entry("kib", 1L << 10),
            Map.entry("m", 1000_000L), Map.entry("mb", 1000_000L), Map.entry("mib", 1L << 20),
            Map.entry("g", 1000_000_000L), Map.entry("gb", 1000_000_000L), Map.entry("gib", 1L << 30),
            Map.entry("t", 1000_000_000_000L), Map.entry("tb", 1000_000_000_000L), Map.entry("tib", 1L << 40),
            Map.entry("kilobyte", 1000L), Map.entry("kilobytes", 1000L), Map.entry("kibibyte", 1L << 10),
            Map.entry("kibibytes", 1L << 10), Map.entry("megabyte", 1000_000L), Map.entry("megabytes", 1000_000L),
            Map.entry("mebibyte", 1L << 20), Map.entry("mebibytes", 1L << 20),
            Map.entry("gigabyte", 1000_000_000L), Map.entry("gigabytes", 1000_000_000L),
            Map.entry("gibibyte", 1L << 30), Map.entry("gibibytes", 1L << 30),
            Map.entry("terabyte", 1000_000_000_000L), Map.entry("terabytes", 1000_000_000_000L),
            Map.entry("tebibyte", 1L << 40), Map.entry("tebibytes", 1L << 40));
    private static final String[] ABBREVIATIONS = {"kB", "MB", "GB", "TB", "PB", "EB"};

    private Sizes() {}

    /**
     * Reads a size as people and git-annex's config write it: {@code 4096}, {@code 100kB}, {@code 20MiB},
     * {@code 1.5 GB}, {@code 100 KiloBytes} (decimal units for kB/MB/GB and kilobytes..., binary for KiB/MiB/GiB and
     * kibibytes..., case ignored).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (like 4096, 100kB or 20MiB)");
        }
        Long unit = MULTIPLIERS.get(m.group(2));
        if (unit == null) {
            throw new IllegalArgumentException("'" + text + "' has an unknown unit " + m.group(2)
                    + " (use B, kB, MB, GB, TB, KiB, MiB, GiB or TiB)");
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return bytes.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /**
     * A size as git-annex writes it in short (its {@code roughSize storageUnits True}): {@code 17 B}, {@code 1.05 MB},
     * {@code 999.92 TB}, decimal units, up to two decimals. Negative sizes get a minus sign.
     */
    public static String abbreviated(long bytes) {
        if (bytes < 0) {
            return "-" + abbreviated(bytes == Long.MIN_VALUE ? Long.MAX_VALUE : -bytes);
        }
        if (bytes < 1000) {
            return bytes + " B";
        }
        BigDecimal v = BigDecimal.valueOf(bytes);
        int unit = -1;
        while (v.compareTo(BigDecimal.valueOf(1000)) >= 0 && unit < ABBREVIATIONS.length - 1) {
            v = v.divide(BigDecimal.valueOf(1000));
            unit++;
        }
        return v.setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString() + " " + ABBREVIATIONS[unit];
    }

    /** {@code 17 bytes}, {@code 1 byte}, {@code 102.4 kilobytes}, {@code 82.82 gigabytes}. */
    public static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        BigDecimal v = BigDecimal.valueOf(bytes);
        int unit = -1;
        while (v.compareTo(BigDecimal.valueOf(1000)) >= 0 && unit < UNITS.length - 1) {
            v = v.divide(BigDecimal.valueOf(1000));
            unit++;
        }
        BigDecimal shown = v.setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros();
        String plural = shown.compareTo(BigDecimal.ONE) == 0 ? "" : "s";
        return shown.toPlainString() + " " + UNITS[unit] + plural;
    }
}
