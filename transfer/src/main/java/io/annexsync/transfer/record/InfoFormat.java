package io.annexsync.transfer.record;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a transfer info file, as git-annex writes it on Unix (FORMAT.md section 7.1):
 *
 * <pre>
 * 1795444757.154513695s 425776\n     start time in POSIX seconds with "s", then bytes done when known
 * mid3.bin\n                         the associated file, empty when there is none
 * </pre>
 *
 * <p>The file comes last and is everything after the first line but one final newline, as git-annex 10 reads it on
 * Unix ("comes last; arbitrary content"): a file name with newlines ({@code a\nb}) is written as it is. The fraction
 * is written as Haskell shows a {@code POSIXTime}: trailing zeros dropped, and no dot at all for a whole second.
 * Reading accepts what any git-annex version writes: a missing {@code s}, a fraction of any length, no bytes field,
 * a missing second line. Stateless.
 */
final class InfoFormat {
    private static final Pattern TIME = Pattern.compile("(\\d{1,18})(?:\\.(\\d+))?s?");
    private static final int NANO_DIGITS = 9;

    private InfoFormat() {
    }

    /** The info file's content for {@code info}. */
    static String format(TransferInfo info) {
        StringBuilder s = new StringBuilder(formatTime(info.started()));
        info.bytesDone().ifPresent(b -> s.append(' ').append(b));
        return s.append('\n').append(info.file().orElse("")).append('\n').toString();
    }

    static String formatTime(Instant t) {
        String seconds = Long.toString(t.getEpochSecond());
        if (t.getNano() == 0) {
            return seconds + "s";
        }
        String fraction = String.format("%09d", t.getNano()).replaceFirst("0+$", "");
        return seconds + "." + fraction + "s";
    }

    /** The record in {@code text}, the info file of {@code key}; empty when the text is not an info file. */
    static Optional<TransferInfo> parse(Direction direction, Uuid remote, Key key, String text) {
        int firstEnd = text.indexOf('\n');
        String first = firstEnd < 0 ? text : text.substring(0, firstEnd);
        String[] words = first.trim().split(" +");
        Optional<Instant> started = parseTime(words[0]);
        if (started.isEmpty() || words.length > 2) {
            return Optional.empty();
        }
        OptionalLong bytes = OptionalLong.empty();
        if (words.length == 2) {
            bytes = parseBytes(words[1]);
            if (bytes.isEmpty()) {
                return Optional.empty();
            }
        }
        Optional<String> file = Optional.empty();
        if (firstEnd >= 0) {
            String rest = text.substring(firstEnd + 1);
            String name = rest.endsWith("\n") ? rest.substring(0, rest.length() - 1) : rest;
            file = name.isEmpty() || name.startsWith("/") || name.indexOf('\0') >= 0
                    ? Optional.empty() : Optional.of(name);
        }
        return Optional.of(new TransferInfo(direction, remote, key, file, started.get(), bytes));
    }

    static Optional<Instant> parseTime(String word) {
        Matcher m = TIME.matcher(word);
        if (!m.matches()) {
            return Optional.empty();
        }
        long seconds = Long.parseLong(m.group(1));
        String fraction = m.group(2) == null ? "" : m.group(2);
        if (fraction.length() > NANO_DIGITS) {
            fraction = fraction.substring(0, NANO_DIGITS);
        }
        int nanos = fraction.isEmpty() ? 0 : Integer.parseInt(fraction + "0".repeat(NANO_DIGITS - fraction.length()));
        return Optional.of(Instant.ofEpochSecond(seconds, nanos));
    }

    private static OptionalLong parseBytes(String word) {
        try {
            long b = Long.parseLong(word);
            return b < 0 ? OptionalLong.empty() : OptionalLong.of(b);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
