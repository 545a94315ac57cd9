package io.annexsync.gitsync.branch;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A single-value log {@code TS VALUE} (FORMAT.md §5.2): {@code numcopies.log}, {@code mincopies.log}. The value with
 * the greatest timestamp is current, on a tie the last line. Writing keeps only the current line. Immutable.
 *
 * @param lines the parsed lines in file order; lines that did not parse are dropped
 * @param skipped the lines that did not parse (or were too long to read), for a warning; empty for logs made here
 */
public record ValueLog(List<Line> lines, List<MalformedLine> skipped) {
    /**
     * One line: {@code 1795444555.18556308s 2}.
     *
     * @param timestamp when the value was set
     * @param value the value, possibly with spaces
     */
    public record Line(Timestamp timestamp, String value) {
        public Line {
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(value, "value");
        }

        static Optional<Line> parse(String text) {
            String[] f = text.split(" ", 2);
            return f.length < 2 ? Optional.empty() : Timestamp.parse(f[0]).map(ts -> new Line(ts, f[1]));
        }
    }

    public ValueLog {
        lines = List.copyOf(lines);
        skipped = List.copyOf(skipped);
    }

    /** A log of these lines, none skipped. */
    public ValueLog(List<Line> lines) {
        this(lines, List.of());
    }

    /** Parses a file's content, skipping (and listing) lines that do not parse or are too long to read. */
    public static ValueLog parse(String content) {
        LogLines.Parsed<Line> parsed = LogLines.parse(content, Line::parse);
        return new ValueLog(parsed.lines(), parsed.skipped());
    }

    /** The current line, if any. */
    public Optional<Line> current() {
        return lines.stream().reduce((old, neu) -> neu.timestamp().compareTo(old.timestamp()) >= 0 ? neu : old);
    }

    /** This log holding only a new value, its timestamp following the vector clock rule. */
    public ValueLog with(String value, Clock clock) {
        return new ValueLog(List.of(new Line(Timestamp.next(clock, current().map(Line::timestamp)), value)));
    }

    /** The compacted file content. */
    public String format() {
        return LogLines.join(current().map(l -> l.timestamp().format() + " " + l.value()).stream().toList());
    }
}
