package io.annexsync.transfer.engine;

import io.annexsync.gitsync.IoMessages;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.store.ContentLock;
import io.annexsync.gitsync.store.ObjectStore;
import io.annexsync.transfer.engine.KeyMove.Into;
import io.annexsync.transfer.engine.KeyMove.TransferFailure;
import io.annexsync.transfer.queue.TransferRequest;
import io.annexsync.transfer.remote.Meter;
import io.annexsync.transfer.remote.Remote;
import io.annexsync.transfer.remote.Retrieving;
import io.annexsync.transfer.remote.Stopped;
import io.annexsync.transfer.remote.Storing;
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
 * The bytes of one transfer, moved by the remote under the engine's {@link Meter} (bandwidth limits, progress, stop):
 * a download is retrieved into this repository's partial file (continued when an earlier try left one), verified
 * against the key, then put in the store; a continued partial whose result does not verify is thrown away and
 * retrieved once more from the start, as git-annex does, and content that still does not verify never enters the
 * store. An upload is read from this repository's object under a shared content lock (nobody drops it meanwhile)
 * and stored by the remote, which verifies it on its side. Thread-safe: the workers of one {@link TransferService}
 * share it.
 */
final class ContentCopy {
    private static final Logger LOG = LoggerFactory.getLogger(ContentCopy.class);

    /** What a transfer moved: the bytes sent by this try and those a partial file held already. */
    record Moved(long moved, long resumedFrom) {}

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
     * Retrieves the key of {@code r} from {@code remote} into {@code dest} (this repository's store, on the disk of
     * {@code into}) while {@code holding} is held; {@code remaining} is told how many bytes the transfer still has to
     * write.
     */
    Moved retrieve(TransferRequest r, Holding holding, Remote remote, ObjectStore dest, Into into,
            LongConsumer remaining) throws RepoException, TransferFailure, Stopped {
        Key key = r.key();
        Path partial = dest.tempFileFor(key);
        Retrieving.Retrieved got = retrieveOnce(r, holding, remote, partial, into, remaining);
        if (got.resumedFrom() > 0 && got.mismatch(key).isPresent()) {
            LOG.warn("the partial file {} of {} held {} bytes that do not match its key; discarded it, copying {} {}"
                    + " again from the start", partial, label(r), got.resumedFrom(), "from", r.remote());
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                throw new TransferFailure("cannot delete the bad partial file " + partial + ": "
                        + IoMessages.describe(e));
            }
            got = retrieveOnce(r, holding, remote, partial, into, remaining);
        }
        Optional<String> bad = got.mismatch(key);
        if (bad.isPresent()) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                LOG.warn("cannot delete the bad partial file {}: {}", partial, e.getMessage());
            }
            throw new TransferFailure("the content of " + label(r) + " from " + r.remote() + " does not match its key"
                    + " (" + bad.get() + "); nothing was stored. The copy in " + r.remote() + " may be corrupted:"
                    + " run 'annex-sync fsck' there");
        }
        dest.insertHashed(key, partial, got.digest());
        return new Moved(got.moved(), got.resumedFrom());
    }

    private Retrieving.Retrieved retrieveOnce(TransferRequest r, Holding holding, Remote remote, Path partial,
            Into into, LongConsumer remaining) throws RepoException, TransferFailure, Stopped {
        long offset;
        try {
            offset = Files.isRegularFile(partial) ? Files.size(partial) : 0;
        } catch (IOException e) {
            offset = 0;
        }
        progress.itemStarted(label(r), r.key().size().orElse(0));
        try {
            return switch (remote.retrieve(r.key(), partial, offset, meter(r, holding, remaining))) {
                case Retrieving.Retrieved got -> {
                    bytesMoved.addAndGet(got.moved()); // read from the source, whatever the check of them finds
                    yield got;
                }
                case Retrieving.NotPresent n -> throw new TransferFailure(r.remote() + " does not have the content of "
                        + label(r));
                case Retrieving.Failed f -> throw new TransferFailure(f.reason(),
                        f.noSpace() ? Optional.of(into) : Optional.empty());
            };
        } finally {
            progress.itemDone(label(r));
        }
    }

    /**
     * Sends the key of {@code r} from {@code source} (this repository's store) to {@code remote} while {@code holding}
     * is held, under a shared content lock on the source.
     */
    Storing store(TransferRequest r, Holding holding, Remote remote, ObjectStore source, LongConsumer remaining)
            throws RepoException, TransferFailure, Stopped {
        Key key = r.key();
        if (!source.contains(key)) {
            throw absent(r);
        }
        try (ContentLock lock = source.lockShared(key)) {
            if (!source.contains(key)) {
                throw absent(r);
            }
            progress.itemStarted(label(r), key.size().orElse(0));
            try {
                Storing stored = remote.store(key, source.objectPath(key), meter(r, holding, remaining));
                if (stored instanceof Storing.Stored s) {
                    bytesMoved.addAndGet(s.moved());
                }
                return stored;
            } finally {
                progress.itemDone(label(r));
            }
        }
    }

    private static TransferFailure absent(TransferRequest r) {
        return new TransferFailure("the content of " + label(r) + " was dropped here meanwhile");
    }

    /** The meter of one transfer: its limits, its progress into the records held and the disk's count. */
    private Meter meter(TransferRequest r, Holding holding, LongConsumer remaining) {
        List<RateLimiter> limits = new ArrayList<>(2);
        overall.ifPresent(limits::add);
        Optional.ofNullable(remoteLimits.get(r.remote())).ifPresent(limits::add);
        return new Meter() {
            private long reported = -1;

            @Override
            public Optional<String> file() {
                return r.file();
            }

            @Override
            public String label() {
                return ContentCopy.label(r);
            }

            @Override
            public boolean limited() {
                return !limits.isEmpty();
            }

            @Override
            public void pace(int bytes) throws InterruptedException {
                for (RateLimiter limit : limits) {
                    limit.acquire(bytes);
                }
            }

            @Override
            public boolean stopping() {
                return stopping.getAsBoolean();
            }

            @Override
            public void progress(long done) {
                if (reported >= 0 && done >= reported) {
                    progress.bytesDone(done - reported);
                }
                reported = done;
                holding.progress(done);
                remaining.accept(r.key().size().orElse(done) - done);
            }

            @Override
            public boolean dropPartialWhenFull() {
                return dropPartialWhenFull;
            }
        };
    }

    private static String label(TransferRequest r) {
        return KeyMove.label(r);
    }
}
