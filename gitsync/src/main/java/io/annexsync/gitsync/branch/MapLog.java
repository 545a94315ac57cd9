package io.annexsync.gitsync.branch;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A map log {@code TS FIELD VALUE} (FORMAT.md §5.2): {@code config.log}, {@code group-preferred-content.log}. Per
 * field, the line with the greatest timestamp wins, on a tie the last line. Writing is compacted, sorted by field.
 * Immutable.
 *
 * @param lines the parsed lines in file order; lines that did not parse are dropped
 * @param skipped the lines that did not parse (or were too long to read), for a warning; empty for logs made here
 */
public record MapLog(List<Line> lines, List<MalformedLine> skipped) {
    /**
     * One line: {@code 1795444555.338171291s annex.largefiles largerthan=100kb}.
     *
     * @param timestamp when the value was set
     * @param field the field (a config name, a group)
     * @param value the value, possibly empty or with spaces
     */
    public record Line(Timestamp timestamp, String field, String value) {
        public Line {
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(value, "value");
        }

        static Optional<Line> parse(String text) {
            String[] f = text.split(" ", 3);
            if (f.length < 2 || f[1].isEmpty()) {
                return Optional.empty();
            }
            return Timestamp.parse(f[0]).map(ts -> new Line(ts, f[1], f.length == 3 ? f[2] : ""));
        }

        String format() {
            return timestamp.format() + " " + field + " " + value;
        }
    }

    public MapLog {
        lines = List.copyOf(lines);
        skipped = List.copyOf(skipped);
    }

    /** A log of these lines, none skipped. */
    public MapLog(List<Line> lines) {
        this(lines, List.of());
    }

    /** Parses a file's content, skipping (and listing) lines that do not parse or are too long to read. */
    public static MapLog parse(String content) {
        LogLines.Parsed<Line> parsed = LogLines.parse(content, Line::parse);
        return new MapLog(parsed.lines(), parsed.skipped());
    }

    /** The winning line per field, sorted by field. */
    public Map<String, Line> current() {
        Map<String, Line> winners = new TreeMap<>();
        for (Line line : lines) {
            winners.merge(line.field(), line, (old, neu) -> newer(old, neu));
        }
        return winners;
    }

    private static Line newer(Line old, Line neu) {
        return neu.timestamp().compareTo(old.timestamp()) >= 0 ? neu : old;
    }

    /** The current value per field. */
    public Map<String, String> values() {
        Map<String, String> values = new TreeMap<>();
        current().forEach((field, line) -> values.put(field, line.value()));
        return values;
    }

    /** This log with a new value for {@code field}, compacted, the timestamp following the vector clock rule. */
    public MapLog with(String field, String value, Clock clock) {
        Map<String, Line> current = current();
        Optional<Timestamp> previous = Optional.ofNullable(current.get(field)).map(Line::timestamp);
        current.put(field, new Line(Timestamp.next(clock, previous), field, value));
        return new MapLog(List.copyOf(current.values()));
    }

    /** The compacted file content: one winning line per field, sorted by field. */
    public String format() {
        return LogLines.join(current().values().stream().map(Line::format).toList());
    }
}
