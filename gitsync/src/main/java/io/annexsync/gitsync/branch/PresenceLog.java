package io.annexsync.gitsync.branch;

import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A presence log (FORMAT.md §5.1, §5.2): location logs {@code KEY.log} ({@code TS S UUID}), url logs and the like,
 * one {@link Line} per change. Reading keeps, per info value, the line with the greatest timestamp, and on an exact
 * tie the line that comes first. Writing is compacted: one line per info value, sorted by info value. Immutable.
 *
 * @param lines the parsed lines in file order; lines that did not parse are dropped
 * @param skipped the lines that did not parse (or were too long to read), for a warning; empty for logs made here
 */
public record PresenceLog(List<Line> lines, List<MalformedLine> skipped) {
    /** The status column of a presence log line. */
    public enum Status {
        /** {@code 1}: the content is there. */
        PRESENT('1'),
        /** {@code 0}: the content is not there. */
        ABSENT('0'),
        /** {@code X}: the content is gone for good. */
        DEAD('X');

        private final char code;

        Status(char code) {
            this.code = code;
        }

        /** The character written in the log. */
        public char code() {
            return code;
        }

        static Optional<Status> of(String text) {
            for (Status s : values()) {
                if (text.length() == 1 && text.charAt(0) == s.code) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * One line: {@code 1795444555.809370695s 1 5b09c1a8-...}.
     *
     * @param timestamp when the change was made
     * @param status the new status
     * @param info the thing whose status changed: a repository UUID in location logs, a URL in url logs
     */
    public record Line(Timestamp timestamp, Status status, String info) {
        public Line {
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(info, "info");
        }

        static Optional<Line> parse(String text) {
            String[] f = text.split(" ", 3);
            if (f.length < 3 || f[2].isEmpty()) {
                return Optional.empty();
            }
            Optional<Timestamp> ts = Timestamp.parse(f[0]);
            Optional<Status> status = Status.of(f[1]);
            return ts.isEmpty() || status.isEmpty()
                    ? Optional.empty()
                    : Optional.of(new Line(ts.get(), status.get(), f[2]));
        }

        String format() {
            return timestamp.format() + " " + status.code + " " + info;
        }
    }

    public PresenceLog {
        lines = List.copyOf(lines);
        skipped = List.copyOf(skipped);
    }

    /** A log of these lines, none skipped. */
    public PresenceLog(List<Line> lines) {
        this(lines, List.of());
    }

    /** Parses a file's content, skipping (and listing) lines that do not parse or are too long to read. */
    public static PresenceLog parse(String content) {
        LogLines.Parsed<Line> parsed = LogLines.parse(content, Line::parse);
        return new PresenceLog(parsed.lines(), parsed.skipped());
    }

    /** The winning line per info value, sorted by info value. */
    public Map<String, Line> current() {
        Map<String, Line> winners = new TreeMap<>();
        for (Line line : lines) {
            winners.merge(line.info(), line, (old, neu) -> neu.timestamp().compareTo(old.timestamp()) > 0 ? neu : old);
        }
        return winners;
    }

    /** The info values whose current status is {@link Status#PRESENT}. */
    public Set<String> present() {
        return current().values().stream()
                .filter(l -> l.status() == Status.PRESENT)
                .map(Line::info)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * This log with a new status for {@code info}, compacted; the timestamp follows the vector clock rule against the
     * previous line for the same info value.
     */
    public PresenceLog with(String info, Status status, Clock clock) {
        Map<String, Line> current = new LinkedHashMap<>(current());
        Optional<Timestamp> previous = Optional.ofNullable(current.get(info)).map(Line::timestamp);
        current.put(info, new Line(Timestamp.next(clock, previous), status, info));
        return compacted(current.values());
    }

    /** The compacted file content: one winning line per info value, sorted by info value. */
    public String format() {
        return LogLines.join(current().values().stream().map(Line::format).toList());
    }

    private static PresenceLog compacted(Collection<Line> lines) {
        return new PresenceLog(lines.stream().sorted(Comparator.comparing(Line::info)).toList());
    }
}
