package io.annexsync.app.cli;

import io.annexsync.transfer.queue.QueueItem;
import io.annexsync.transfer.record.TransferInfo;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Renders {@link TransfersSnapshot}s for a person (aligned lines; on a terminal with progress bars and cut to its
 * width) or as JSON objects. In watch mode it remembers the counts of earlier refreshes for the rates (see {@link
 * TransferRates}); otherwise a rate is the average since the transfer started. Not thread-safe: one per command run.
 */
final class TransfersView {
    /** What a person sees when there is nothing at all. */
    static final String NOTHING = "no transfers running, none queued, none failed";
    /** How many queued, and how many failed, items are listed; the rest are counted. */
    static final int SHOWN = 20;
    /** The narrowest the file column gets on a narrow terminal. */
    private static final int MIN_FILE_WIDTH = 12;
    /** How much of a last, free-text column (an error) is kept before the file column is shortened for it. */
    private static final int LAST_COLUMN_KEPT = 24;
    /** The columns a running line needs besides its bar, with a short remote and file name. */
    private static final int RUNNING_WITHOUT_BAR = 90;
    /**
     * The room a terminal keeps from the start for the last three columns of a running line, the numbers: {@code
     * 999.9 MiB / 999.9 MiB}, {@code 999.9 KiB/s}, {@code 59m59s left}.
     */
    private static final int[] NUMBER_WIDTHS = {21, 11, 11};
    /** A bar narrower than this says too little: none is drawn. */
    private static final int MIN_BAR_WIDTH = 5;
    /** The column of every table that holds the file (or key), the one shortened on a narrow terminal. */
    private static final int FILE_COLUMN = 2;
    private static final String SEP = "  ";
    private static final String INDENT = "  ";

    private final boolean terminal;
    private final boolean watch;
    private final int width;
    private final int barWidth;
    private final TransferRates rates = new TransferRates();
    /** The widest each column of the running lines has been in this run (see {@link #table}). */
    private final int[] runningWidths;

    /**
     * A view for one command run.
     *
     * @param terminal draw bars and keep every line within {@code width} columns
     * @param watch rates from the counts of successive refreshes instead of averages
     * @param width the terminal's width in columns (used only on a terminal); the bar narrows below 110 columns and
     *     is left out below 95
     */
    TransfersView(boolean terminal, boolean watch, int width) {
        this.terminal = terminal;
        this.watch = watch;
        this.width = width;
        int bar = Math.min(TransferUnits.BAR_WIDTH, width - RUNNING_WITHOUT_BAR);
        this.barWidth = terminal && bar >= MIN_BAR_WIDTH ? bar : 0;
        // direction, remote, file, the bar if any, percent, then the numbers
        this.runningWidths = new int[(barWidth > 0 ? 5 : 4) + NUMBER_WIDTHS.length];
        if (terminal) {
            System.arraycopy(NUMBER_WIDTHS, 0, runningWidths, runningWidths.length - NUMBER_WIDTHS.length,
                    NUMBER_WIDTHS.length);
        }
    }

    /** The lines for a person: running transfers, then the queued and the failed sections. */
    List<String> lines(TransfersSnapshot s) {
        if (watch) {
            rates.refresh(s.running(), s.at());
        }
        if (s.isEmpty()) {
            return List.of(NOTHING);
        }
        List<String> lines = new ArrayList<>();
        if (s.running().isEmpty()) {
            lines.add("no transfers running");
        } else {
            lines.addAll(table(s.running().stream().map(i -> runningRow(i, s)).toList(), runningWidths));
        }
        queuedSection(s, lines);
        failedSection(s, lines);
        return lines;
    }

    private List<String> runningRow(TransferInfo i, TransfersSnapshot s) {
        OptionalLong size = i.key().size();
        OptionalDouble rate = watch ? rates.rate(i, s.at()) : TransferRates.average(i, s.at());
        List<String> row = new ArrayList<>(List.of(i.direction().dirName(), s.remoteName(i.remote()), what(i)));
        if (barWidth > 0) {
            row.add(TransferUnits.bar(i.bytesDone(), size, barWidth));
        }
        row.add(String.format(Locale.ROOT, "%4s", TransferUnits.percent(i.bytesDone(), size)));
        row.add(TransferUnits.doneOfSize(i.bytesDone(), size));
        row.add(rate.isPresent() ? TransferUnits.rate(rate.getAsDouble()) : "");
        row.add(TransferUnits.timeLeft(i.bytesDone(), size, rate).map(d -> TransferUnits.duration(d) + " left")
                .orElse(""));
        return row;
    }

    private void queuedSection(TransfersSnapshot s, List<String> lines) {
        if (s.queued().isEmpty()) {
            return;
        }
        lines.add("queued (" + s.queued().size() + "):");
        List<List<String>> rows = new ArrayList<>();
        for (QueueItem q : s.queued().subList(0, Math.min(SHOWN, s.queued().size()))) {
            List<String> details = new ArrayList<>();
            if (q.attempts() > 0) {
                details.add(q.attempts() + " failed attempt" + (q.attempts() == 1 ? "" : "s"));
            }
            if (q.nextTry().isAfter(s.at())) {
                details.add("next try in " + TransferUnits.duration(Duration.between(s.at(), q.nextTry())));
            }
            q.lastError().ifPresent(e -> details.add("last error: " + firstLine(e)));
            rows.add(itemRow(q, String.join(", ", details)));
        }
        lines.addAll(table(rows, new int[0]));
        more(s.queued().size(), lines);
    }

    private static void more(int count, List<String> lines) {
        if (count > SHOWN) {
            lines.add(INDENT + "... and " + (count - SHOWN) + " more");
        }
    }

    private void failedSection(TransfersSnapshot s, List<String> lines) {
        int count = s.failedItems().size() + s.failedRecords().size();
        if (count == 0) {
            return;
        }
        lines.add("failed (" + count + "):");
        List<List<String>> rows = new ArrayList<>();
        for (QueueItem q : s.failedItems()) {
            String why = "gave up after " + q.attempts() + " attempt" + (q.attempts() == 1 ? "" : "s")
                    + q.lastError().map(e -> ": " + firstLine(e)).orElse("");
            rows.add(itemRow(q, why));
        }
        for (TransferInfo i : s.failedRecords()) {
            String at = i.bytesDone().isPresent() ? " at " + TransferUnits.doneOfSize(i.bytesDone(), i.key().size())
                    : "";
            rows.add(List.of(INDENT + i.direction().dirName(), s.remoteName(i.remote()), what(i),
                    "failed" + at + ", started " + i.started().truncatedTo(ChronoUnit.SECONDS)));
        }
        lines.addAll(table(rows.subList(0, Math.min(SHOWN, rows.size())), new int[0]));
        more(rows.size(), lines);
    }

    private static List<String> itemRow(QueueItem q, String details) {
        return List.of(INDENT + TransfersSnapshot.direction(q.request()).dirName(),
                q.request().remote(), q.request().file().map(TransfersView::oneLine)
                        .orElse(q.request().key().serialize()), details);
    }

    private static String what(TransferInfo i) {
        return i.file().map(TransfersView::oneLine).orElse(i.key().serialize());
    }

    /** A file name on one line of the table: a newline in it shown as {@code \n}. */
    private static String oneLine(String file) {
        return file.replace("\n", "\\n");
    }

    private static String firstLine(String text) {
        String line = text.strip();
        int end = line.indexOf('\n');
        return end < 0 ? line : line.substring(0, end) + " ...";
    }

    /**
     * Rows as aligned columns (the last one not padded). On a terminal the third column, the file, is shortened from
     * its start to fit the width (keeping room for the start of a long last column), and every line is cut at the
     * width, so that no line wraps and a redraw can count lines.
     *
     * @param seen the widest each column after the file has been in earlier refreshes, updated here, so that a watch
     *     does not shift its columns as numbers shrink; empty for a table without memory
     */
    private List<String> table(List<List<String>> rows, int[] seen) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        for (int c = FILE_COLUMN + 1; c < Math.min(columns, seen.length); c++) {
            widths[c] = Math.max(widths[c], seen[c]);
            seen[c] = widths[c];
        }
        if (terminal) {
            int last = widths[columns - 1];
            int total = Arrays.stream(widths).sum() - last + Math.min(last, LAST_COLUMN_KEPT)
                    + SEP.length() * (columns - 1);
            int over = total - (width - 1);
            if (over > 0) {
                widths[FILE_COLUMN] = Math.max(Math.min(MIN_FILE_WIDTH, widths[FILE_COLUMN]),
                        widths[FILE_COLUMN] - over);
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = c == FILE_COLUMN ? shorten(row.get(c), widths[c]) : row.get(c);
                line.append(c < columns - 1 ? pad(cell, widths[c]) + SEP : cell);
            }
            lines.add(fit(line.toString().stripTrailing()));
        }
        return lines;
    }

    private static String pad(String cell, int width) {
        return cell.length() >= width ? cell : cell + " ".repeat(width - cell.length());
    }

    /** {@code text}, or {@code ...} and its end when it is longer than {@code max}. */
    static String shorten(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        return max <= 3 ? text.substring(text.length() - max) : "..." + text.substring(text.length() - (max - 3));
    }

    private String fit(String line) {
        return terminal && line.length() > width - 1 ? line.substring(0, Math.max(0, width - 1)) : line;
    }

    /**
     * The snapshot as one JSON object: {@code running}, {@code queued} and {@code failed} lists whose items share
     * {@code direction}, {@code remote} (name, else uuid), {@code remote-uuid}, {@code key} and {@code file}.
     */
    static Map<String, Object> json(TransfersSnapshot s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("running", s.running().stream().map(i -> record(i, s)).toList());
        o.put("queued", s.queued().stream().map(TransfersView::queued).toList());
        List<Map<String, Object>> failed = new ArrayList<>();
        s.failedItems().forEach(q -> failed.add(failedItem(q)));
        s.failedRecords().forEach(i -> {
            Map<String, Object> f = record(i, s);
            f.put("source", "record");
            failed.add(f);
        });
        o.put("failed", failed);
        return o;
    }

    private static Map<String, Object> record(TransferInfo i, TransfersSnapshot s) {
        Map<String, Object> o = identity(i.direction().dirName(), s.remoteName(i.remote()), i.remote().value(),
                i.key().serialize(), i.file().orElse(null));
        o.put("bytes", i.bytesDone().isPresent() ? i.bytesDone().getAsLong() : null);
        o.put("size", i.key().size().isPresent() ? i.key().size().getAsLong() : null);
        o.put("started", i.started().toString());
        return o;
    }

    private static Map<String, Object> queued(QueueItem q) {
        Map<String, Object> o = queueIdentity(q);
        o.put("attempts", q.attempts());
        o.put("enqueued", q.enqueued().toString());
        o.put("next-try", q.nextTry().toString());
        o.put("last-error", q.lastError().orElse(null));
        return o;
    }

    private static Map<String, Object> failedItem(QueueItem q) {
        Map<String, Object> o = queueIdentity(q);
        o.put("source", "queue");
        o.put("attempts", q.attempts());
        o.put("enqueued", q.enqueued().toString());
        o.put("last-error", q.lastError().orElse(null));
        return o;
    }

    private static Map<String, Object> queueIdentity(QueueItem q) {
        return identity(TransfersSnapshot.direction(q.request()).dirName(), q.request().remote(),
                q.request().remoteUuid().value(), q.request().key().serialize(), q.request().file().orElse(null));
    }

    private static Map<String, Object> identity(String direction, String remote, String uuid, String key,
            String file) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("direction", direction);
        o.put("remote", remote);
        o.put("remote-uuid", uuid);
        o.put("key", key);
        o.put("file", file);
        return o;
    }
}
