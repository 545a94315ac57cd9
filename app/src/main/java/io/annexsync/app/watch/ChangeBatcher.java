package io.annexsync.app.watch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decides when changed paths have settled enough to be committed, so that a burst of changes makes one commit and a
 * file still being written is committed once, after it stopped changing.
 *
 * <p>Each pending path counts from its last change; a new change of the same path resets it. A path is <em>settled
 * </em> when it has not changed for {@code quiet}. A batch is due when at least one path is settled and
 * <ul>
 * <li>every pending path is settled (nothing changed for {@code quiet}), or
 * <li>the oldest pending change is {@code maxDelay} old (continuous change still gives a batch at least that often),
 *     or
 * <li>at least {@code maxFiles} paths have settled (a full batch is ready).
 * </ul>
 * A batch holds only settled paths, the oldest changes first, at most {@code maxFiles} of them, so a path that keeps
 * changing stays pending until it stops, but never holds back other paths. Worked example with quiet 200 ms and
 * max delay 2 s: {@code a} changes at 0 ms and {@code b} every 50 ms from 0 to 5 s; at 2 s the batch is {@code [a]}
 * ({@code b} is not settled), and at 5.2 s it is {@code [b]}.
 *
 * <p>Time is a {@link System#nanoTime()} value passed in by the caller, so tests control it; times must not go back
 * (an earlier time than one already seen counts as that one). Thread-safe: the watcher thread adds and the daemon's
 * thread takes.
 */
public final class ChangeBatcher {
    private final long quiet;
    private final long maxDelay;
    private final int maxFiles;
    /** Pending path to its last change, in the order of their last changes (oldest first). */
    private final LinkedHashMap<String, Long> pending = new LinkedHashMap<>();
    private long latest;
    private boolean seenTime;

    /** A batch of settled paths, sorted; {@code more} says that paths are still pending after this batch. */
    public record Batch(List<String> paths, boolean more) {
        /** Copies the paths. */
        public Batch {
            paths = List.copyOf(paths);
        }
    }

    /**
     * Makes a batcher; the daemon uses 200 ms, 2 s and 5,000.
     *
     * @param quiet how long a path must stay unchanged before it is committed
     * @param maxDelay the longest time the oldest pending change waits for the others to settle (at least quiet)
     * @param maxFiles the most paths in one batch; this many settled make a batch due without waiting for quiet
     */
    public ChangeBatcher(Duration quiet, Duration maxDelay, int maxFiles) {
        Objects.requireNonNull(quiet, "quiet");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (quiet.isNegative()) {
            throw new IllegalArgumentException("quiet must not be negative: " + quiet);
        }
        if (maxDelay.compareTo(quiet) < 0) {
            throw new IllegalArgumentException("maxDelay " + maxDelay + " is shorter than quiet " + quiet);
        }
        if (maxFiles < 1) {
            throw new IllegalArgumentException("maxFiles must be at least 1: " + maxFiles);
        }
        this.quiet = quiet.toNanos();
        this.maxDelay = maxDelay.toNanos();
        this.maxFiles = maxFiles;
    }

    /** Records that {@code paths} changed at {@code now}; a path already pending counts from now on. */
    public synchronized void add(Collection<String> paths, long now) {
        Objects.requireNonNull(paths, "paths");
        long at = observe(now);
        for (String path : paths) {
            Objects.requireNonNull(path, "path");
            pending.remove(path);
            pending.put(path, at);
        }
    }

    /**
     * The earliest time at which {@link #take} returns a batch if nothing else changes (it may be in the past);
     * empty when nothing is pending.
     */
    public synchronized OptionalLong deadline() {
        if (pending.isEmpty()) {
            return OptionalLong.empty();
        }
        long deadline = earlier(pending.lastEntry().getValue() + quiet, pending.firstEntry().getValue() + maxDelay);
        if (pending.size() >= maxFiles) {
            deadline = earlier(deadline, fullBatchChange() + quiet);
        }
        return OptionalLong.of(deadline);
    }

    /** The next batch if one is due at {@code now}, its paths no longer pending; empty when none is due. */
    public synchronized Optional<Batch> take(long now) {
        long at = observe(now);
        if (!due(at)) {
            return Optional.empty();
        }
        List<String> paths = new ArrayList<>();
        Iterator<Map.Entry<String, Long>> it = pending.entrySet().iterator();
        while (it.hasNext() && paths.size() < maxFiles) {
            Map.Entry<String, Long> e = it.next();
            if (!settled(e.getValue(), at)) {
                break;
            }
            paths.add(e.getKey());
            it.remove();
        }
        paths.sort(null);
        return Optional.of(new Batch(paths, !pending.isEmpty()));
    }

    /** How many paths are pending, settled or not. */
    public synchronized int pendingCount() {
        return pending.size();
    }

    private boolean due(long now) {
        if (pending.isEmpty() || !settled(pending.firstEntry().getValue(), now)) {
            return false;
        }
        return settled(pending.lastEntry().getValue(), now)
                || now - pending.firstEntry().getValue() >= maxDelay
                || (pending.size() >= maxFiles && settled(fullBatchChange(), now));
    }

    /** The last change of the {@code maxFiles}-th oldest pending path: once it settled, a full batch is ready. */
    private long fullBatchChange() {
        Iterator<Long> it = pending.sequencedValues().iterator();
        for (int i = 1; i < maxFiles; i++) {
            it.next();
        }
        return it.next();
    }

    private static long earlier(long a, long b) {
        return a - b < 0 ? a : b;
    }

    private boolean settled(long changed, long now) {
        return now - changed >= quiet;
    }

    private long observe(long now) {
        if (!seenTime || now - latest > 0) {
            latest = now;
            seenTime = true;
        }
        return latest;
    }
}
