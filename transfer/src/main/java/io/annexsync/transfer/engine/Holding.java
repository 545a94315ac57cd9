package io.annexsync.transfer.engine;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.transfer.queue.TransferRequest;
import io.annexsync.transfer.record.ActiveTransfer;
import io.annexsync.transfer.record.Direction;
import io.annexsync.transfer.record.PartialLock;
import io.annexsync.transfer.record.TransferRecords;
import io.annexsync.transfer.remote.Stopped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one transfer holds in this repository while its bytes move, taken in one order and ended together: its
 * transfer record and, for a download, this repository's {@link PartialLock} (for an upload, the remote holds what
 * the receiving side holds, as git-annex does: a path remote its record of receiving the key from us and its partial
 * lock, taken after ours). Whoever finds one of them held by another process or thread waits for it to end and then
 * finds the content there, or, when the other one failed, takes it and goes on (continuing the partial file).
 *
 * <p>Lock order: the records in the order given (the sender's before the receiver's), then the partial lock. A
 * transfer waits only for the next one in that order while it holds the ones before, so no two transfers wait for
 * each other: an upload A to B holds A's upload record and then B's download record, B's download from A only the
 * latter; two senders of one key to B hold different records but then meet at B's partial lock.
 *
 * <p>Not thread-safe: the worker that took it uses and ends it.
 */
final class Holding {
    private static final Logger LOG = LoggerFactory.getLogger(Holding.class);
    private static final long OTHER_PROCESS_POLL_MILLIS = 100;

    /**
     * One transfer record to hold.
     *
     * @param records the records of the repository that keeps it
     * @param direction the way the key moves, seen from that repository
     * @param other the repository on the other side
     */
    record Side(TransferRecords records, Direction direction, Uuid other) {
    }

    /** How taking ended: everything is held, or the content arrived while we waited. */
    sealed interface Taken permits Held, Arrived {
    }

    /** Everything is held; the bytes may move. */
    record Held(Holding holding) implements Taken {
    }

    /**
     * The content arrived while we waited for another process; nothing is held any more.
     *
     * @param first whether it was the first record we waited for (the one of the repository that asked), not one
     *     that came later (the receiver's record or partial file)
     */
    record Arrived(boolean first) implements Taken {
    }

    private final Key key;
    private final List<Side> sides = new ArrayList<>();
    private final List<ActiveTransfer> records = new ArrayList<>();
    private Optional<PartialLock> partial = Optional.empty();

    private Holding(Key key) {
        this.key = key;
    }

    /**
     * Takes the records of {@code sides} in their order, then the partial lock in {@code receiver} when given,
     * waiting for whoever holds one of them; {@code arrived} says whether the receiver has the content.
     *
     * @throws Stopped when {@code stopping} turns true while waiting (what was taken is ended as stopped)
     */
    static Taken take(TransferRequest r, List<Side> sides, Optional<TransferRecords> receiver, BooleanSupplier arrived,
            BooleanSupplier stopping) throws RepoException, Stopped {
        Holding h = new Holding(r.key());
        boolean held = false;
        try {
            for (Side side : sides) {
                Optional<ActiveTransfer> record = beginOrWait(side, r, arrived, stopping);
                if (record.isEmpty()) {
                    boolean first = h.records.isEmpty();
                    h.release();
                    return new Arrived(first);
                }
                h.sides.add(side);
                h.records.add(record.get());
            }
            if (receiver.isPresent()) {
                h.partial = lockOrWait(receiver.get(), r, arrived, stopping);
            }
            if (receiver.isPresent() && h.partial.isEmpty()) {
                h.release();
                return new Arrived(false);
            }
            held = true;
            return new Held(h);
        } finally {
            if (!held) {
                h.end(stopping.getAsBoolean());
            }
        }
    }

    /**
     * Begins the record of {@code side}, or, when another process (or thread) holds it, waits for it to end: empty
     * when the content arrived meanwhile, otherwise (the other one failed) tries to begin again.
     */
    private static Optional<ActiveTransfer> beginOrWait(Side side, TransferRequest r, BooleanSupplier arrived,
            BooleanSupplier stopping) throws RepoException, Stopped {
        while (true) {
            Optional<ActiveTransfer> record = side.records().begin(side.direction(), side.other(), r.key(), r.file());
            if (record.isPresent()) {
                return record;
            }
            LOG.info("another process moves {} {} {}; waiting for it", r.key(), r.upload() ? "to" : "from",
                    r.remote());
            while (side.records().isRunning(side.direction(), side.other(), r.key())) {
                pause(stopping);
            }
            if (arrived.getAsBoolean()) {
                return Optional.empty();
            }
        }
    }

    /**
     * Takes the receiver's partial lock, or waits while another writer holds it: empty when the content is there
     * (it arrived meanwhile, or just before we came).
     */
    private static Optional<PartialLock> lockOrWait(TransferRecords receiver, TransferRequest r,
            BooleanSupplier arrived, BooleanSupplier stopping) throws RepoException, Stopped {
        boolean told = false;
        while (true) {
            Optional<PartialLock> lock = receiver.tryLockPartial(r.key());
            if (arrived.getAsBoolean()) {
                if (lock.isPresent()) {
                    lock.get().close();
                }
                return Optional.empty();
            }
            if (lock.isPresent()) {
                return lock;
            }
            if (!told) {
                LOG.info("another process writes the partial file of {}; waiting for it", r.key());
                told = true;
            }
            pause(stopping);
        }
    }

    private static void pause(BooleanSupplier stopping) throws Stopped {
        if (stopping.getAsBoolean()) {
            throw new Stopped();
        }
        try {
            TimeUnit.MILLISECONDS.sleep(OTHER_PROCESS_POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }

    /** Reports progress in every record held; a record that cannot be rewritten now is left as it was. */
    void progress(long bytesDone) {
        for (ActiveTransfer record : records) {
            try {
                record.progress(bytesDone);
            } catch (RepoException e) {
                LOG.debug("cannot update the transfer record of {}: {}", key, e.getMessage());
            }
        }
    }

    /**
     * Ends a transfer that succeeded: releases the partial lock, removes the records (the receiver's first) and
     * forgets the failures earlier tries left in them.
     */
    void finish() throws RepoException {
        release();
        for (Side side : sides) {
            side.records().clearFailed(side.direction(), side.other(), key);
        }
    }

    /** Releases the partial lock and removes the records, the last taken first; for a success. */
    private void release() throws RepoException {
        closePartial();
        for (int i = records.size() - 1; i >= 0; i--) {
            records.get(i).finish();
        }
        records.clear();
    }

    /**
     * Ends a transfer that did not succeed, without throwing: when {@code stopped} (the service is closing) the
     * records are removed, otherwise they move to {@code failed/} in each repository, as git-annex leaves a failed
     * transfer on both sides. The partial lock is released either way.
     */
    void end(boolean stopped) {
        try {
            closePartial();
        } catch (RepoException | RuntimeException e) {
            LOG.warn("cannot release the partial-file lock of {}: {}", key, e.getMessage());
        }
        for (int i = records.size() - 1; i >= 0; i--) {
            ActiveTransfer record = records.get(i);
            try {
                if (stopped) {
                    record.stop();
                } else {
                    record.fail();
                }
            } catch (RepoException | RuntimeException e) {
                LOG.warn("cannot end the transfer record of {}: {}", key, e.getMessage());
            }
        }
        records.clear();
    }

    private void closePartial() throws RepoException {
        if (partial.isPresent()) {
            PartialLock lock = partial.get();
            partial = Optional.empty();
            lock.close();
        }
    }
}
