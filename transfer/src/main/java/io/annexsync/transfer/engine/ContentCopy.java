package io.annexsync.transfer.engine;

import io.annexsync.gitsync.IoMessages;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.store.ContentLock;
import io.annexsync.gitsync.store.ObjectStore;
import io.annexsync.gitsync.store.VerifyResult;
import io.annexsync.transfer.engine.TransferService.Stopped;
import io.annexsync.transfer.engine.TransferService.TransferFailure;
import io.annexsync.transfer.queue.TransferRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of one transfer, from the source's object to the receiver's store: under a shared content lock on the
 * source (nobody drops it meanwhile), into the receiver's partial file (continued when an earlier try left one)
 * under the bandwidth limits, verified against the key, then into the store. A continued partial whose result does
 * not verify is thrown away and copied once more from the start, as git-annex does; content that still does not
 * verify never enters the store. Thread-safe: the workers of one {@link TransferService} share it.
 */
final class ContentCopy {
    private static final Logger LOG = LoggerFactory.getLogger(ContentCopy.class);

    private final Optional<RateLimiter> overall;
    private final Map<String, RateLimiter> remoteLimits = new ConcurrentHashMap<>();
    private final Progress progress;
    private final BooleanSupplier stopping;
    private final boolean dropPartialWhenFull;
    private final AtomicLong bytesMoved;

    /**
     * {@code dropPartialWhenFull}: a partial copy that filled its disk is deleted (the daemon, which goes on working on
     * that disk and tries again later) rather than kept for the next try (a command, as git-annex's get keeps it);
     * {@code bytesMoved} counts every byte read from a source.
     */
    ContentCopy(TransferSettings settings, Progress progress, BooleanSupplier stopping, boolean dropPartialWhenFull,
            AtomicLong bytesMoved) {
        this.dropPartialWhenFull = dropPartialWhenFull;
        this.bytesMoved = bytesMoved;
        this.overall = settings.bandwidth().isPresent()
                ? Optional.of(new RateLimiter(settings.bandwidth().getAsLong())) : Optional.empty();
        settings.remoteBandwidth().forEach((name, limit) -> remoteLimits.put(name, new RateLimiter(limit)));
        this.progress = progress;
        this.stopping = stopping;
    }

    /**
     * Moves the content of {@code r}'s key from {@code source} into the store of {@code into}, while {@code holding} is
     * held; {@code remaining} is told, as the bytes arrive, how many the transfer still has to write.
     */
    Copier.Copied move(TransferRequest r, Holding holding, ObjectStore source, TransferService.Into into,
            LongConsumer remaining) throws RepoException, TransferFailure, Stopped {
        Key key = r.key();
        ObjectStore dest = into.repo().store();
        if (!source.contains(key)) {
            throw absent(r);
        }
        try (ContentLock lock = source.lockShared(key)) {
            if (!source.contains(key)) {
                throw absent(r);
            }
            Path partial = dest.tempFileFor(key);
            Copier.Copied copied = copy(r, holding, source.objectPath(key), partial, into, remaining);
            if (copied.resumedFrom() > 0 && !verifies(r, copied)) {
                copied = again(r, holding, source.objectPath(key), partial, copied, into, remaining);
            }
            store(r, dest, partial, copied);
            return copied;
        }
    }

    private static TransferFailure absent(TransferRequest r) {
        return new TransferFailure(r.upload() ? "the content of " + label(r) + " was dropped here meanwhile"
                : r.remote() + " does not have the content of " + label(r));
    }

    private Copier.Copied copy(TransferRequest r, Holding holding, Path from, Path partial,
            TransferService.Into into, LongConsumer remaining) throws TransferFailure, Stopped {
        String label = label(r);
        List<RateLimiter> limits = new ArrayList<>(2);
        overall.ifPresent(limits::add);
        Optional.ofNullable(remoteLimits.get(r.remote())).ifPresent(limits::add);
        long[] reported = {-1};
        progress.itemStarted(label, r.key().size().orElse(0));
        try {
            Copier.Copied copied = Copier.copy(from, partial, r.key(), limits, stopping, done -> {
                if (reported[0] >= 0) {
                    progress.bytesDone(done - reported[0]);
                }
                reported[0] = done;
                holding.progress(done);
                remaining.accept(r.key().size().orElse(done) - done);
            });
            bytesMoved.addAndGet(copied.moved()); // read from the source, whatever the check of them finds
            return copied;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        } catch (Copier.StoppedException e) {
            throw new Stopped();
        } catch (IOException e) {
            String failed = "copying " + label + (r.upload() ? " to " : " from ") + r.remote() + " into " + partial
                    + " failed: " + IoMessages.describe(e);
            boolean full = IoMessages.diskFull(e);
            Optional<TransferService.Into> ranOut = full ? Optional.of(into) : Optional.empty();
            if (dropPartialWhenFull && full) {
                deleteQuietly(partial);
                throw new TransferFailure(failed + " (the partial copy is deleted, so the disk is not left full; the"
                        + " transfer is tried again later)", ranOut);
            }
            throw new TransferFailure(failed + " (the partial copy is kept; the next try continues it)", ranOut);
        } finally {
            progress.itemDone(label);
        }
    }

    /**
     * A continued partial file did not give the key's content: its old bytes may be what is wrong (a crash that wrote
     * garbage, a source whose copy changed since), so the partial is thrown away and the bytes are moved once more
     * from the start. Only what that second copy gives counts.
     */
    private Copier.Copied again(TransferRequest r, Holding holding, Path from, Path partial, Copier.Copied first,
            TransferService.Into into, LongConsumer remaining) throws TransferFailure, Stopped {
        LOG.warn("the partial file {} of {} held {} bytes that do not match its key; discarded it, copying {} {} again"
                + " from the start", partial, label(r), first.resumedFrom(), r.upload() ? "to" : "from", r.remote());
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            throw new TransferFailure("cannot delete the bad partial file " + partial + ": " + IoMessages.describe(e));
        }
        return copy(r, holding, from, partial, into, remaining);
    }

    private static void deleteQuietly(Path partial) {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            LOG.warn("cannot delete the partial file {}: {}", partial, IoMessages.describe(e));
        }
    }

    private static boolean verifies(TransferRequest r, Copier.Copied copied) {
        VerifyResult result = ObjectStore.check(r.key(), copied.size(), copied.digest());
        return result == VerifyResult.OK || result == VerifyResult.UNVERIFIABLE;
    }

    /** Checks the digest taken while the bytes arrived and puts the content in the destination store. */
    private static void store(TransferRequest r, ObjectStore dest, Path partial, Copier.Copied copied)
            throws RepoException, TransferFailure {
        VerifyResult result = ObjectStore.check(r.key(), copied.size(), copied.digest());
        if (result != VerifyResult.OK && result != VerifyResult.UNVERIFIABLE) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                LOG.warn("cannot delete the bad partial file {}: {}", partial, e.getMessage());
            }
            String where = r.upload() ? "this repository" : r.remote();
            throw new TransferFailure("the content of " + label(r) + " from " + where + " does not match its key ("
                    + (result == VerifyResult.BAD_SIZE ? "wrong size" : "checksum differs")
                    + "); nothing was stored. The copy in " + where + " may be corrupted: run 'annex-sync fsck' there");
        }
        dest.insertHashed(r.key(), partial, copied.digest());
    }

    private static String label(TransferRequest r) {
        return TransferService.label(r);
    }
}
