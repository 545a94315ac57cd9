package io.annexsync.gitsync.info;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Sizes written as git-annex writes them: decimal units, up to two decimals, {@code 102.4 kilobytes}. */
public final class Sizes {
    private static final String[] UNITS = {"kilobyte", "megabyte", "gigabyte", "terabyte", "petabyte"};

    private Sizes() {}

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
