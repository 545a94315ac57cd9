package io.annexsync.transfer.remote.path;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.transfer.remote.Meter;
import io.annexsync.transfer.remote.Stopped;
import io.annexsync.transfer.record.ActiveTransfer;
import io.annexsync.transfer.record.Direction;
import io.annexsync.transfer.record.PartialLock;
import io.annexsync.transfer.record.TransferRecords;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver-side record of a path remote that receives a key from us, as git-annex keeps it: the remote's own
 * transfer record of a download from our UUID (what the remote's own download from us takes, so it waits for this
 * one), then the remote's partial-file lock (so two senders of one key never write one partial file). Whoever finds
 * one of them held waits for it to end and then finds the content there, or, when the other one failed, takes it
 * and goes on. Taken after the sender's own record (the engine's), so no two transfers wait for each other. Not
 * thread-safe: the worker that took it uses and ends it.
 */
final class Receiving {
    private static final Logger LOG = LoggerFactory.getLogger(Receiving.class);
    private static final long OTHER_PROCESS_POLL_MILLIS = 100;

    private final Key key;
    private final Direction direction = Direction.DOWNLOAD;
    private final Uuid from;
    private final TransferRecords records;
    private ActiveTransfer record;
    private Optional<PartialLock> partial = Optional.empty();

    private Receiving(TransferRecords records, Uuid from, Key key) {
        this.records = records;
        this.from = from;
        this.key = key;
    }

    /**
     * Takes the remote's record of receiving {@code key} from {@code from} and its partial lock, waiting for whoever
     * holds one of them; empty when the content arrived meanwhile ({@code arrived}), with nothing held.
     */
    static Optional<Receiving> take(TransferRecords records, Uuid from, Key key, Meter meter, String remote,
            BooleanSupplier arrived) throws RepoException, Stopped {
        Receiving r = new Receiving(records, from, key);
        boolean held = false;
        try {
            while (r.record == null) {
                Optional<ActiveTransfer> begun = records.begin(r.direction, from, key, meter.file());
                if (begun.isPresent()) {
                    r.record = begun.get();
                    break;
                }
                LOG.info("another process moves {} to {}; waiting for it", key, remote);
                while (records.isRunning(r.direction, from, key)) {
                    pause(meter);
                }
                if (arrived.getAsBoolean()) {
                    return Optional.empty();
                }
            }
            boolean told = false;
            while (true) {
                Optional<PartialLock> lock = records.tryLockPartial(key);
                if (arrived.getAsBoolean()) {
                    if (lock.isPresent()) {
                        lock.get().close();
                    }
                    r.finishQuietly();
                    return Optional.empty();
                }
                if (lock.isPresent()) {
                    r.partial = lock;
                    held = true;
                    return Optional.of(r);
                }
                if (!told) {
                    LOG.info("another process writes the partial file of {}; waiting for it", key);
                    told = true;
                }
                pause(meter);
            }
        } finally {
            if (!held && r.record != null && r.partial.isEmpty()) {
                r.end(meter.stopping());
            }
        }
    }

    private static void pause(Meter meter) throws Stopped {
        if (meter.stopping()) {
            throw new Stopped();
        }
        try {
            TimeUnit.MILLISECONDS.sleep(OTHER_PROCESS_POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }

    /** Reports progress in the record; a record that cannot be rewritten now is left as it was. */
    void progress(long bytesDone) {
        try {
            record.progress(bytesDone);
        } catch (RepoException e) {
            LOG.debug("cannot update the transfer record of {}: {}", key, e.getMessage());
        }
    }

    /** Ends a receipt that succeeded: the partial lock released, the record removed, earlier failures forgotten. */
    void finish() throws RepoException {
        closePartial();
        record.finish();
        record = null;
        records.clearFailed(direction, from, key);
    }

    private void finishQuietly() {
        try {
            if (record != null) {
                record.finish();
                record = null;
            }
        } catch (RepoException | RuntimeException e) {
            LOG.warn("cannot end the transfer record of {}: {}", key, e.getMessage());
        }
    }

    /**
     * Ends a receipt that did not succeed, without throwing: removed when {@code stopped}, otherwise moved to
     * {@code failed/}, as git-annex leaves a failed transfer on the receiving side. The partial lock is released.
     */
    void end(boolean stopped) {
        try {
            closePartial();
        } catch (RepoException | RuntimeException e) {
            LOG.warn("cannot release the partial-file lock of {}: {}", key, e.getMessage());
        }
        if (record == null) {
            return;
        }
        try {
            if (stopped) {
                record.stop();
            } else {
                record.fail();
            }
        } catch (RepoException | RuntimeException e) {
            LOG.warn("cannot end the transfer record of {}: {}", key, e.getMessage());
        }
        record = null;
    }

    private void closePartial() throws RepoException {
        if (partial.isPresent()) {
            PartialLock lock = partial.get();
            partial = Optional.empty();
            lock.close();
        }
    }
}
