package io.annexsync.gitsync.branch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Splitting branch files into lines and parsing them within bounds (FORMAT.md §5.1): any run of CR and LF ends a
 * line; a line longer than {@link #MAX_LINE} characters is skipped without being looked at, and so is a line the
 * parser refuses; each skipped line is reported. One pass over the text: linear in its length. Stateless.
 */
final class LogLines {
    /** The longest line read; git-annex's lines are far shorter (a uuid.log description, a config expression). */
    static final int MAX_LINE = 65_536;
    /** Skipped lines reported one by one; the others are counted in one last report. */
    static final int MAX_REPORTED = 100;
    private static final int EXCERPT = 60;

    private LogLines() {}

    /**
     * The lines of a file the parser accepted, in file order, and the ones skipped.
     *
     * @param lines the parsed lines
     * @param skipped the lines skipped, at most {@link #MAX_REPORTED} plus one that counts the rest
     */
    record Parsed<T>(List<T> lines, List<MalformedLine> skipped) {}

    static <T> Parsed<T> parse(String content, Function<String, Optional<T>> parser) {
        List<T> lines = new ArrayList<>();
        List<MalformedLine> skipped = new ArrayList<>();
        int more = 0;
        int number = 0;
        int i = 0;
        while (i < content.length()) {
            while (i < content.length() && isBreak(content.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < content.length() && !isBreak(content.charAt(i))) {
                i++;
            }
            if (i == start) {
                break;
            }
            number++;
            Optional<String> why = i - start > MAX_LINE
                    ? Optional.of("a line of " + (i - start) + " characters (at most " + MAX_LINE + " are read)")
                    : accept(content.substring(start, i), parser, lines);
            if (why.isPresent() && skipped.size() < MAX_REPORTED) {
                skipped.add(new MalformedLine(number, why.get()));
            } else if (why.isPresent()) {
                more++;
            }
        }
        if (more > 0) {
            skipped.add(new MalformedLine(number, more + " more lines skipped"));
        }
        return new Parsed<>(lines, skipped);
    }

    private static <T> Optional<String> accept(String line, Function<String, Optional<T>> parser, List<T> lines) {
        Optional<T> parsed = parser.apply(line);
        if (parsed.isPresent()) {
            lines.add(parsed.get());
            return Optional.empty();
        }
        String excerpt = line.length() > EXCERPT ? line.substring(0, EXCERPT) + "..." : line;
        return Optional.of("does not parse: " + excerpt);
    }

    private static boolean isBreak(char c) {
        return c == '\n' || c == '\r';
    }

    static String join(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }
}
