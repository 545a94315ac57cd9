package io.annexsync.app.watch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * Decides when changed paths have settled enough to be committed, so that a burst of changes makes one commit and a
 * file still being written is committed once, after it stopped changing.
 *
 * <p>Each pending path counts from its last change; a new change of the same path resets it. A path is <em>settled
 * </em> when it has not changed for {@code quiet}, or, sooner, when it has not changed for {@code closedQuiet} and a
 * look at the files open for writing ({@link OpenFiles}, passed to {@link #take(long, Predicate)}) found that no
 * process had it open: its writer closed it. Each change is looked at once that way; one still open then waits for the
 * full quiet. A batch is due when at least one path is settled and
 * <ul>
 * <li>every pending path is settled, or
 * <li>the oldest pending change is {@code maxDelay} old (continuous change still gives a batch at least that often),
 *     or
 * <li>at least {@code maxFiles} paths have settled (a full batch is ready).
 * </ul>
 * A batch holds only settled paths, the oldest changes first, at most {@code maxFiles} of them, so a path that keeps
 * changing or stays open stays pending until it stops, but never holds back other paths. Worked example with quiet
 * 200 ms, no early settling and max delay 2 s: {@code a} changes at 0 ms and {@code b} every 50 ms from 0 to 5 s; at 2
 * s the batch is {@code [a]} ({@code b} is not settled), and at 5.2 s it is {@code [b]}. With closed quiet 20 ms, a
 * file written and closed at 0 ms is in a batch at 20 ms.
 *
 * <p>Time is a {@link System#nanoTime()} value passed in by the caller, so tests control it; times must not go back
 * (an earlier time than one already seen counts as that one). Thread-safe: the watcher thread adds and the daemon's
 * timer takes.
 */
public final class ChangeBatcher {
    private final long quiet;
    private final long closedQuiet;
    private final long maxDelay;
    private final int maxFiles;
    /** Pending path to its last change, in the order of their last changes (oldest first). */
    private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    private long latest;
    private boolean seenTime;

    /** A batch of settled paths, sorted; {@code more} says that paths are still pending after this batch. */
    public record Batch(List<String> paths, boolean more) {
        /** Copies the paths. */
        public Batch {
            paths = List.copyOf(paths);
        }
    }

    /** One pending path's last change, and what the look at open files found once it was {@code closedQuiet} old. */
    private static final class Pending {
        final long changed;
        boolean looked;
        boolean closed;

        Pending(long changed) {
            this.changed = changed;
        }
    }

    /**
     * Makes a batcher that waits the whole quiet time for every path (no early settling).
     *
     * @see #ChangeBatcher(Duration, Duration, Duration, int)
     */
    public ChangeBatcher(Duration quiet, Duration maxDelay, int maxFiles) {
        this(quiet, quiet, maxDelay, maxFiles);
    }

    /**
     * Makes a batcher; the daemon uses 200 ms, 20 ms, 2 s and 5,000.
     *
     * @param quiet how long a path must stay unchanged before it is committed
     * @param closedQuiet how long a path that no process has open for writing must stay unchanged (at most quiet)
     * @param maxDelay the longest time the oldest pending change waits for the others to settle (at least quiet)
     * @param maxFiles the most paths in one batch; this many settled make a batch due without waiting for quiet
     */
    public ChangeBatcher(Duration quiet, Duration closedQuiet, Duration maxDelay, int maxFiles) {
        Objects.requireNonNull(quiet, "quiet");
        Objects.requireNonNull(closedQuiet, "closedQuiet");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (quiet.isNegative()) {
            throw new IllegalArgumentException("quiet must not be negative: " + quiet);
        }
        if (closedQuiet.isNegative() || closedQuiet.compareTo(quiet) > 0) {
            throw new IllegalArgumentException("closedQuiet " + closedQuiet + " is not between 0 and quiet " + quiet);
        }
        if (maxDelay.compareTo(quiet) < 0) {
            throw new IllegalArgumentException("maxDelay " + maxDelay + " is shorter than quiet " + quiet);
        }
        if (maxFiles < 1) {
            throw new IllegalArgumentException("maxFiles must be at least 1: " + maxFiles);
        }
        this.quiet = quiet.toNanos();
        this.closedQuiet = closedQuiet.toNanos();
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
            pending.put(path, new Pending(at));
        }
    }

    /**
     * Whether a look at the files open for writing could settle a path at {@code now}: one changed at least {@code
     * closedQuiet} and less than {@code quiet} ago has not been looked at yet. Cheap; the caller looks only then.
     */
    public synchronized boolean wantsLook(long now) {
        long at = observe(now);
        for (Pending p : pending.values()) {
            if (!p.looked && at - p.changed >= closedQuiet && at - p.changed < quiet) {
                return true;
            }
        }
        return false;
    }

    /**
     * The earliest time at which {@link #take} returns a batch, or a look at the open files is due, if nothing else
     * changes (it may be in the past); empty when nothing is pending.
     */
    public synchronized OptionalLong deadline() {
        if (pending.isEmpty()) {
            return OptionalLong.empty();
        }
        long base = pending.firstEntry().getValue().changed;
        long[] settle = new long[pending.size()]; // relative to the oldest change, so that nanoTime may wrap
        int i = 0;
        for (Pending p : pending.values()) {
            settle[i++] = settleTime(p) - base;
        }
        Arrays.sort(settle);
        long deadline = earlier(base + settle[settle.length - 1], base + maxDelay);
        if (pending.size() >= maxFiles) {
            deadline = earlier(deadline, base + settle[maxFiles - 1]); // a full batch: any maxFiles paths settled
        }
        Optional<Pending> look = firstUnlooked().filter(p -> closedQuiet < quiet);
        if (look.isPresent()) {
            deadline = earlier(deadline, look.get().changed + closedQuiet);
        }
        return OptionalLong.of(deadline);
    }

    /** As {@link #take(long, Predicate)} when nobody knows which files are open: only the quiet time settles. */
    public synchronized Optional<Batch> take(long now) {
        return take(now, path -> true);
    }

    /**
     * The next batch if one is due at {@code now}, its paths no longer pending; empty when none is due. {@code
     * openForWriting} tells, for the paths old enough to be looked at (see {@link #wantsLook}), whether a process has
     * them open for writing now ({@code path -> true} when that cannot be told).
     */
    public synchronized Optional<Batch> take(long now, Predicate<String> openForWriting) {
        long at = observe(now);
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (!p.looked && at - p.changed >= closedQuiet) {
                p.looked = true; // once old enough, whether or not a look could still settle it sooner
                p.closed = at - p.changed < quiet && !openForWriting.test(e.getKey());
            }
        }
        if (!due(at)) {
            return Optional.empty();
        }
        List<String> paths = new ArrayList<>();
        Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator();
        while (it.hasNext() && paths.size() < maxFiles) {
            Map.Entry<String, Pending> e = it.next();
            if (settled(e.getValue(), at)) {
                paths.add(e.getKey());
                it.remove();
            }
        }
        paths.sort(null);
        return Optional.of(new Batch(paths, !pending.isEmpty()));
    }

    /** How many paths are pending, settled or not. */
    public synchronized int pendingCount() {
        return pending.size();
    }

    private boolean due(long now) {
        int settled = 0;
        for (Pending p : pending.values()) {
            if (settled(p, now)) {
                settled++;
            }
        }
        return settled > 0 && (settled == pending.size()
                || now - pending.firstEntry().getValue().changed >= maxDelay
                || settled >= maxFiles);
    }

    private long settleTime(Pending p) {
        return p.changed + (p.closed ? closedQuiet : quiet);
    }

    private Optional<Pending> firstUnlooked() {
        for (Pending p : pending.values()) {
            if (!p.looked) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static long earlier(long a, long b) {
        return a - b < 0 ? a : b;
    }

    private boolean settled(Pending p, long now) {
        return now - p.changed >= quiet || (p.closed && now - p.changed >= closedQuiet);
    }

    private long observe(long now) {
        if (!seenTime || now - latest > 0) {
            latest = now;
            seenTime = true;
        }
        return latest;
    }
}
