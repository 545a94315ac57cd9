package io.annexsync.app.cli;

import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.info.Sizes;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress display on a terminal: files done, bytes, rate and the current file, redrawn at most five
 * times a second. Off (does nothing) when the output is not a terminal or is JSON, so scripts see no noise.
 * Thread-safe; close it to clear the line.
 */
final class TerminalProgress implements Progress, AutoCloseable {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final String verb;
    private final long start = System.nanoTime();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong items = new AtomicLong();
    private final AtomicLong lastDraw = new AtomicLong();
    private volatile String current = "";
    private volatile boolean drawn;

    private TerminalProgress(PrintWriter err, String verb) {
        this.err = err;
        this.verb = verb;
    }

    /** A display on {@code err} when a person is watching, otherwise a silent one. */
    static TerminalProgress open(PrintWriter err, boolean json, String verb) {
        // Terminal.isTerminal(): on JDK 22+ System.console() is there even when the output is redirected
        boolean terminal = Terminal.isTerminal() && System.getenv("ANNEX_SYNC_NO_PROGRESS") == null;
        return new TerminalProgress(terminal && !json ? err : null, verb);
    }

    @Override
    public void itemStarted(String item, long size) {
        current = item;
        redraw(false);
    }

    @Override
    public void bytesDone(long n) {
        bytes.addAndGet(n);
        redraw(false);
    }

    @Override
    public void itemDone(String item) {
        items.incrementAndGet();
        redraw(false);
    }

    private void redraw(boolean force) {
        if (err == null) {
            return;
        }
        long now = System.nanoTime();
        long last = lastDraw.get();
        if (!force && (now - last < REDRAW_NANOS || !lastDraw.compareAndSet(last, now))) {
            return;
        }
        double seconds = Math.max(1e-3, (now - start) / 1e9);
        String line = String.format("%s: %d files, %s, %s/s  %s", verb, items.get(),
                Sizes.human(bytes.get()),
                Sizes.human((long) (bytes.get() / seconds)), current);
        synchronized (err) {
            err.print("\r\033[K" + (line.length() > 110 ? line.substring(0, 110) : line));
            err.flush();
            drawn = true;
        }
    }

    @Override
    public void close() {
        if (err != null && drawn) {
            synchronized (err) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}
