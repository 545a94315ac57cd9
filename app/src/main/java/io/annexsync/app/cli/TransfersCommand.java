package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.transfer.queue.TransferQueue;
import io.annexsync.transfer.record.TransferRecords;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code annex-sync transfers}: the transfers running now in any process (git-annex's too, from the status files under
 * {@code .git/annex/transfer/}), and the transfer queue's waiting and given-up items; with {@code --watch}, again
 * every second until interrupted.
 */
@Command(
        name = "transfers",
        description = {
            "Show the transfers running now in any process (git-annex's too), with",
            "progress, rate and time left; then the queued and the failed transfers.",
            "With --watch, show them again every second until Ctrl-C."
        })
final class TransfersCommand extends RepoCommand {
    private static final long DEFAULT_INTERVAL_MILLIS = 1000;
    private static final long MIN_INTERVAL_MILLIS = 10;
    /** Up to the first line of the previous drawing, to its start, and clear from there to the end of the screen. */
    private static final String REDRAW = "\033[%dA\r\033[J";

    @Option(names = "--watch", description = "Refresh every second (one JSON object a line with --json) until Ctrl-C.")
    boolean watch;

    @Option(names = "--count", paramLabel = "N", description = "With --watch: stop after N refreshes.")
    Integer count;

    @Option(names = "--interval", paramLabel = "MS", hidden = true,
            description = "With --watch: milliseconds between refreshes (default: 1000).")
    Long intervalMillis;

    @Override
    boolean writes() {
        return false;
    }

    @Override
    int run(AnnexRepo repo, Reporter reporter) throws RepoException {
        checkOptions();
        Clock clock = Clock.systemUTC();
        boolean terminal = !reporter.json() && Terminal.isTerminal();
        TransfersView view = new TransfersView(terminal, watch, terminal ? Terminal.width() : Integer.MAX_VALUE);
        Screen screen = new Screen(spec.commandLine().getOut(), terminal);
        TransferRecords records = new TransferRecords(repo.gitDir());
        try (TransferQueue queue = TransferQueue.open(repo.gitDir(), clock, RetryPolicy.DEFAULT)) {
            for (int refresh = 1; ; refresh++) {
                StaleTransfers.clear(repo, queue, clock);
                TransfersSnapshot s = TransfersSnapshot.read(records, queue, repo.remotes(), clock.instant());
                if (reporter.json()) {
                    reporter.object(TransfersView.json(s));
                } else {
                    screen.show(s, view.lines(s));
                }
                spec.commandLine().getOut().flush();
                if (!watch || count != null && refresh >= count || !pause()) {
                    return ExitCode.OK;
                }
            }
        }
    }

    private void checkOptions() {
        if (!watch && (count != null || intervalMillis != null)) {
            throw new IllegalArgumentException("--count and --interval go with --watch");
        }
        if (count != null && count < 1) {
            throw new IllegalArgumentException("--count must be at least 1");
        }
        if (intervalMillis != null && intervalMillis < MIN_INTERVAL_MILLIS) {
            throw new IllegalArgumentException("--interval must be at least " + MIN_INTERVAL_MILLIS + " ms");
        }
    }

    /** Waits for the next refresh; false when interrupted, which ends the watch. */
    private boolean pause() {
        try {
            Thread.sleep(intervalMillis == null ? DEFAULT_INTERVAL_MILLIS : intervalMillis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Where a watch draws: on a terminal each drawing replaces the previous one in place; otherwise drawings follow
     * each other, each headed by its time, so a log reads well. A single look prints the lines alone.
     */
    private final class Screen {
        private final PrintWriter out;
        private final boolean terminal;
        private int drawn;

        Screen(PrintWriter out, boolean terminal) {
            this.out = out;
            this.terminal = terminal;
        }

        void show(TransfersSnapshot s, List<String> lines) {
            StringBuilder text = new StringBuilder();
            if (watch && terminal) {
                if (drawn > 0) {
                    text.append(REDRAW.formatted(drawn));
                }
                drawn = lines.size() + 1;
            } else if (watch) {
                text.append(drawn++ > 0 ? "\n" : "").append("-- ").append(s.at().truncatedTo(ChronoUnit.SECONDS))
                        .append('\n');
            }
            lines.forEach(l -> text.append(l).append('\n'));
            if (watch && terminal) {
                text.append("(every ").append(interval()).append("; Ctrl-C to stop)\n");
            }
            out.print(text);
        }

        private String interval() {
            long ms = intervalMillis == null ? DEFAULT_INTERVAL_MILLIS : intervalMillis;
            return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
        }
    }
}
