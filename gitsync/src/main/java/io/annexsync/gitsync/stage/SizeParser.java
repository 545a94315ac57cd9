package io.annexsync.gitsync.stage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads sizes the way git-annex's {@code largerthan=}/{@code smallerthan=} do: a decimal number, possibly with a
 * fraction, directly followed by an optional unit, case-insensitive. Decimal units ({@code kb}, {@code k},
 * {@code kilobytes}: 1000) and binary ones ({@code kib}: 1024); no unit means bytes. Stateless.
 */
final class SizeParser {
    private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([a-z]*)");
    private static final String[] PREFIXES = {"k", "m", "g", "t", "p", "e"};
    private static final String[] NAMES = {"kilo", "mega", "giga", "tera", "peta", "exa"};
    private static final String[] BINARY_NAMES = {"kibi", "mebi", "gibi", "tebi", "pebi", "exbi"};
    private static final Map<String, BigDecimal> UNITS = units();

    private SizeParser() {}

    /** The size in bytes, rounded down. */
    static long parse(String text) {
        Matcher m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
        BigDecimal unit = m.matches() ? UNITS.get(m.group(2)) : null;
        if (unit == null) {
            throw new IllegalArgumentException("bad size: " + text);
        }
        return new BigDecimal(m.group(1)).multiply(unit).setScale(0, RoundingMode.DOWN).longValueExact();
    }

    private static Map<String, BigDecimal> units() {
        Map<String, BigDecimal> u = new HashMap<>();
        for (String b : new String[] {"", "b", "byte", "bytes"}) {
            u.put(b, BigDecimal.ONE);
        }
        for (int i = 0; i < PREFIXES.length; i++) {
            BigDecimal decimal = BigDecimal.TEN.pow(3 * (i + 1));
            BigDecimal binary = BigDecimal.valueOf(2).pow(10 * (i + 1));
            for (String name : new String[] {PREFIXES[i], PREFIXES[i] + "b", NAMES[i] + "byte", NAMES[i] + "bytes"}) {
                u.put(name, decimal);
            }
            for (String name : new String[] {PREFIXES[i] + "ib", BINARY_NAMES[i] + "byte", BINARY_NAMES[i] + "bytes"}) {
                u.put(name, binary);
            }
        }
        return Map.copyOf(u);
    }
}
