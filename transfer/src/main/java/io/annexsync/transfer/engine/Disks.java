package io.annexsync.transfer.engine;

import io.annexsync.gitsync.info.Sizes;
import io.annexsync.transfer.remote.Disk;
import io.annexsync.transfer.remote.DiskSpace;
import io.annexsync.gitsync.sync.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disks the engine writes content into (this repository's and its path remotes'), and which of them are full.
 * A disk is full while its free space is at most its {@code annex.diskreserve} (or {@link #FLOOR}, whichever is more:
 * no key fits, and git itself needs room to commit), and after a write into it failed for lack of space, until its
 * free space has grown by {@link #GROWTH} over what it was just after that failure, or until a back-off (one minute
 * doubling to 15 minutes) has passed, in case it was freed and filled again meanwhile. Becoming full and having space
 * again are logged once each. The daemon's engine starts no transfer into a full disk (they wait in the queue) and
 * retries them as soon as {@link #recheck} sees space again. Thread-safe.
 */
final class Disks {
    private static final Logger LOG = LoggerFactory.getLogger(Disks.class);
    /** The name of this repository's own disk. */
    static final String HERE = "here";
    /** Free space at or below which a disk is full whatever its reserve. */
    static final long FLOOR = 1L << 20;
    /** How much the free space of a disk that ran out must grow for transfers into it to be tried again. */
    static final long GROWTH = 1L << 20;
    private static final RetryPolicy RELEASE = new RetryPolicy(Duration.ofMinutes(1), 2, Duration.ofMinutes(15), 0.1);

    /** What is known of one disk. */
    private static final class Known {
        Disk disk;
        long free = Long.MAX_VALUE;
        long reserve = DiskSpace.DEFAULT_RESERVE;
        Optional<String> ranOut = Optional.empty();
        long freeAfterRunningOut;
        long releaseAt;
        int timesRanOut;
        boolean full;

        Known(Disk disk) {
            this.disk = disk;
        }

        boolean belowReserve() {
            return free <= Math.max(reserve, FLOOR);
        }
    }

    /** A transfer into a disk that was admitted and still has {@code remaining} bytes to write. */
    private record Incoming(String disk, long remaining) {}

    private final Map<String, Known> disks = new LinkedHashMap<>();
    private final Map<Object, Incoming> incoming = new HashMap<>();
    private final LongSupplier nanoTime;
    private final boolean log;
    private final SplittableRandom random = new SplittableRandom();

    /** With {@code log} (the daemon's engine) a disk becoming full or having space again is logged. */
    Disks(LongSupplier nanoTime, boolean log) {
        this.nanoTime = nanoTime;
        this.log = log;
    }

    /**
     * Measures the disk of {@code disk} (known as {@code name}) now, for a transfer into it: its free space, empty when
     * it cannot be told; the reserve is {@link #reserve}.
     */
    synchronized OptionalLong measure(String name, Disk disk) {
        Known d = known(name, disk);
        OptionalLong free = disk.free();
        d.reserve = disk.reserve();
        free.ifPresent(f -> d.free = f);
        update(name, d);
        return free;
    }

    /**
     * Admits the transfer {@code ticket} of a key of {@code size} bytes into the disk of {@code disk}, of which a
     * partial file holds {@code already} bytes, when it fits by git-annex's rule ({@link DiskSpace}), counting the
     * bytes other admitted transfers into that disk still have to write; it is counted itself until {@link #release}.
     *
     * @return empty when admitted, else git-annex's message of how much more space it needs
     */
    synchronized Optional<String> admit(Object ticket, String name, Disk disk, long size, long already) {
        OptionalLong free = measure(name, disk);
        long others = incoming.entrySet().stream().filter(e -> !e.getKey().equals(ticket)
                && e.getValue().disk().equals(name)).mapToLong(e -> e.getValue().remaining()).sum();
        long missing = free.isEmpty() ? 0 : DiskSpace.missing(size, disks.get(name).reserve, free.getAsLong(),
                already, others);
        if (missing > 0) {
            return Optional.of(DiskSpace.notEnough(missing));
        }
        incoming.put(ticket, new Incoming(name, Math.max(0, size - already)));
        return Optional.empty();
    }

    /** An admitted transfer has {@code remaining} bytes left to write. */
    synchronized void progress(Object ticket, long remaining) {
        incoming.computeIfPresent(ticket, (t, in) -> new Incoming(in.disk(), Math.max(0, remaining)));
    }

    /** An admitted transfer ended. */
    synchronized void release(Object ticket) {
        incoming.remove(ticket);
    }

    /** A write into {@code disk}'s disk failed for lack of space ({@code cause}): full until it has room again. */
    synchronized void ranOut(String name, Disk disk, String cause) {
        Known d = known(name, disk);
        disk.free().ifPresent(f -> d.free = f);
        d.ranOut = Optional.of(cause);
        d.freeAfterRunningOut = d.free;
        d.releaseAt = nanoTime.getAsLong() + RELEASE.delayAfter(++d.timesRanOut, random).toNanos();
        update(name, d);
    }

    /** Content went into the disk called {@code name}: its back-off after running out starts anew. */
    synchronized void wrote(String name) {
        Known d = disks.get(name);
        if (d != null && d.ranOut.isEmpty()) {
            d.timesRanOut = 0;
        }
    }

    /** Whether the disk called {@code name} is full, as last measured. */
    synchronized boolean isFull(String name) {
        Known d = disks.get(name);
        return d != null && d.full;
    }

    /** The names of the full disks, as last measured. */
    synchronized List<String> fullNames() {
        return disks.entrySet().stream().filter(e -> e.getValue().full).map(Map.Entry::getKey).toList();
    }

    /** Measures every known disk again; returns the names of those that were full and have space again. */
    synchronized List<String> recheck() {
        List<String> back = new ArrayList<>();
        for (Map.Entry<String, Known> e : disks.entrySet()) {
            Known d = e.getValue();
            boolean was = d.full;
            d.disk.free().ifPresent(f -> d.free = f);
            d.reserve = d.disk.reserve();
            if (d.ranOut.isPresent() && (d.free >= d.freeAfterRunningOut + GROWTH
                    || nanoTime.getAsLong() - d.releaseAt >= 0)) {
                d.ranOut = Optional.empty();
            }
            update(e.getKey(), d);
            if (was && !d.full) {
                back.add(e.getKey());
            }
        }
        return back;
    }

    /** The full disks, for the status. */
    synchronized List<FullDisk> full() {
        List<FullDisk> full = new ArrayList<>();
        disks.forEach((name, d) -> {
            if (d.full) {
                full.add(new FullDisk(name, d.disk.where(), d.free, d.reserve, cause(d)));
            }
        });
        return full;
    }

    private Known known(String name, Disk disk) {
        Known d = disks.computeIfAbsent(name, n -> new Known(disk));
        d.disk = disk; // a remote opened again (its drive was unmounted) keeps what is known of its disk
        return d;
    }

    private static String cause(Known d) {
        return d.ranOut.orElse(belowReserve(d.reserve));
    }

    /** The cause of a disk full by its free space alone. */
    static String belowReserve(long reserve) {
        return reserve >= FLOOR ? "less free than its annex.diskreserve of " + Sizes.abbreviated(reserve)
                : "less than " + Sizes.abbreviated(FLOOR) + " free";
    }

    private void update(String name, Known d) {
        boolean full = d.belowReserve() || d.ranOut.isPresent();
        if (!log) {
            d.full = full;
            return;
        }
        if (full && !d.full) {
            LOG.warn("{}; transfers into it are paused until it has space again", describe(name, d));
        } else if (!full && d.full) {
            LOG.info("{} has space again ({} free); transfers into it resume", where(name, d),
                    Sizes.abbreviated(d.free));
        }
        d.full = full;
    }

    private static String where(String name, Known d) {
        return name.equals(HERE) ? "the disk of " + d.disk.where() : "the disk of remote " + name + " ("
                + d.disk.where() + ")";
    }

    private static String describe(String name, Known d) {
        return where(name, d) + " is full: " + Sizes.abbreviated(d.free) + " free (" + cause(d) + ")";
    }
}
