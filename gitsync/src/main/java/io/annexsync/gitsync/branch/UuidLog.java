package io.annexsync.gitsync.branch;

import io.annexsync.gitsync.Uuid;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A UUID-based log (FORMAT.md §5.2): {@code uuid.log}, {@code trust.log}, {@code group.log},
 * {@code preferred-content.log}, {@code remote.log}, {@code difference.log} and the like, one {@link Line}
 * {@code UUID VALUE... timestamp=TS} per change. Reading keeps, per UUID, the line with the greatest timestamp, and on
 * a tie the last line. Writing is compacted: one line per UUID, sorted by UUID. Immutable.
 *
 * @param lines the parsed lines in file order; lines that did not parse are dropped
 * @param skipped the lines that did not parse (or were too long to read), for a warning; empty for logs made here
 */
public record UuidLog(List<Line> lines, List<MalformedLine> skipped) {
    private static final String TIMESTAMP = "timestamp=";

    /**
     * One line: {@code 229ab527-... Repo A desc timestamp=1795444554.663109801s}.
     *
     * @param uuid the repository the value is about
     * @param value the value; words are separated by single spaces, as git-annex re-joins them
     * @param timestamp when the value was set; lines without a timestamp read as time 0, as in git-annex
     */
    public record Line(Uuid uuid, String value, Timestamp timestamp) {
        public Line {
            Objects.requireNonNull(uuid, "uuid");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(timestamp, "timestamp");
        }

        static Optional<Line> parse(String text) {
            List<String> words = Arrays.stream(text.split(" ")).filter(w -> !w.isEmpty()).toList();
            Optional<Uuid> uuid = words.isEmpty() ? Optional.empty() : Uuid.parse(words.get(0));
            if (uuid.isEmpty()) {
                return Optional.empty();
            }
            String last = words.get(words.size() - 1);
            boolean stamped = words.size() > 1 && last.startsWith(TIMESTAMP);
            Optional<Timestamp> ts = stamped
                    ? Timestamp.parse(last.substring(TIMESTAMP.length()))
                    : Optional.of(new Timestamp(BigDecimal.ZERO));
            List<String> value = words.subList(1, stamped ? words.size() - 1 : words.size());
            return ts.map(t -> new Line(uuid.get(), String.join(" ", value), t));
        }

        String format() {
            return uuid + " " + value + " " + TIMESTAMP + timestamp.format();
        }
    }

    public UuidLog {
        lines = List.copyOf(lines);
        skipped = List.copyOf(skipped);
    }

    /** A log of these lines, none skipped. */
    public UuidLog(List<Line> lines) {
        this(lines, List.of());
    }

    /** Parses a file's content, skipping (and listing) lines that do not parse or are too long to read. */
    public static UuidLog parse(String content) {
        LogLines.Parsed<Line> parsed = LogLines.parse(content, Line::parse);
        return new UuidLog(parsed.lines(), parsed.skipped());
    }

    /** The winning line per UUID, sorted by UUID. */
    public Map<Uuid, Line> current() {
        Map<Uuid, Line> winners = new TreeMap<>();
        for (Line line : lines) {
            winners.merge(line.uuid(), line, (old, neu) -> neu.timestamp().compareTo(old.timestamp()) >= 0 ? neu : old);
        }
        return winners;
    }

    /** The current value per UUID. */
    public Map<Uuid, String> values() {
        Map<Uuid, String> values = new TreeMap<>();
        current().forEach((uuid, line) -> values.put(uuid, line.value()));
        return values;
    }

    /** This log with a new value for {@code uuid}, compacted, the timestamp following the vector clock rule. */
    public UuidLog with(Uuid uuid, String value, Clock clock) {
        Map<Uuid, Line> current = current();
        Optional<Timestamp> previous = Optional.ofNullable(current.get(uuid)).map(Line::timestamp);
        current.put(uuid, new Line(uuid, value, Timestamp.next(clock, previous)));
        return new UuidLog(List.copyOf(current.values()));
    }

    /** The compacted file content: one winning line per UUID, sorted by UUID. */
    public String format() {
        return LogLines.join(current().values().stream().map(Line::format).toList());
    }
}
