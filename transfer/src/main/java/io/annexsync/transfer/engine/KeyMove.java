package io.annexsync.transfer.engine;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.key.Key;
import io.annexsync.transfer.queue.TransferRequest;
import io.annexsync.transfer.record.Direction;
import io.annexsync.transfer.record.TransferRecords;
import io.annexsync.transfer.remote.Disk;
import io.annexsync.transfer.remote.OpenRemotes;
import io.annexsync.transfer.remote.Remote;
import io.annexsync.transfer.remote.Stopped;
import io.annexsync.transfer.remote.Storing;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The move of one key between this repository and one remote, whatever the remote's kind: the remote reached
 * through {@link OpenRemotes}, the destination's disk admitted ({@link Disks}), this repository's transfer record and
 * (for a download) its partial-file lock held ({@link Holding}), the bytes moved by the remote ({@link ContentCopy}),
 * the new copy noted for the location logs ({@link LocationBatch}). An upload is received by the remote as it
 * receives any key (a path remote holds its own record of a download from us, as git-annex does). Thread-safe: the
 * workers of one {@link TransferService} share it; each move is one worker's.
 */
final class KeyMove {
    /** A repository content goes into: {@link Disks#HERE} or a remote's name, and its disk. */
    record Into(String name, Disk disk) {}

    /** Why a transfer failed, for a person; {@code ranOut} is the repository whose disk had no space left. */
    static final class TransferFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Optional<Into> ranOut;

        TransferFailure(String message) {
            this(message, Optional.empty());
        }

        TransferFailure(String message, Optional<Into> ranOut) {
            super(message);
            this.ranOut = ranOut;
        }

        Optional<Into> ranOut() {
            return ranOut;
        }
    }

    private final AnnexRepo repo;
    private final Disk hereDisk;
    private final TransferSettings settings;
    private final TransferRecords records;
    private final OpenRemotes remotes;
    private final LocationBatch locations;
    private final Disks disks;
    private final ContentCopy copier;
    private final BooleanSupplier stopping;

    KeyMove(AnnexRepo repo, TransferSettings settings, TransferRecords records, OpenRemotes remotes,
            LocationBatch locations, Disks disks, ContentCopy copier, BooleanSupplier stopping) {
        this.repo = repo;
        this.hereDisk = Disk.of(repo);
        this.settings = settings;
        this.records = records;
        this.remotes = remotes;
        this.locations = locations;
        this.disks = disks;
        this.copier = copier;
        this.stopping = stopping;
    }

    /** This repository's disk. */
    Disk hereDisk() {
        return hereDisk;
    }

    /** Moves the key of {@code r} as it says. */
    TransferOutcome run(TransferRequest r) throws RepoException, TransferFailure, Stopped {
        return r.upload() ? upload(r) : download(r);
    }

    private TransferOutcome download(TransferRequest r) throws RepoException, TransferFailure, Stopped {
        Key key = r.key();
        if (repo.hasContent(key)) {
            return TransferOutcome.nothingToDo(r, "already here");
        }
        Remote remote = reach(r);
        Into into = new Into(Disks.HERE, hereDisk);
        admit(r, into);
        List<Holding.Side> sides = List.of(new Holding.Side(records, Direction.DOWNLOAD, r.remoteUuid()));
        return switch (Holding.take(r, sides, Optional.of(records), () -> repo.hasContent(key), stopping)) {
            case Holding.Arrived a -> TransferOutcome.nothingToDo(r, "brought by another process");
            case Holding.Held h -> {
                boolean finished = false;
                try {
                    ContentCopy.Moved moved = copier.retrieve(r, h.holding(), remote, repo.store(), into,
                            remaining -> disks.progress(ticket(r), remaining));
                    locations.present(repo.uuid(), key);
                    h.holding().finish();
                    finished = true;
                    disks.wrote(into.name());
                    yield TransferOutcome.done(r, moved.moved(), moved.resumedFrom());
                } finally {
                    if (!finished) {
                        h.holding().end(stopping.getAsBoolean());
                    }
                }
            }
        };
    }

    private TransferOutcome upload(TransferRequest r) throws RepoException, TransferFailure, Stopped {
        Key key = r.key();
        Remote remote = reach(r);
        if (remote.checkPresent(key).present()) {
            locations.present(remote.uuid(), key);
            return TransferOutcome.nothingToDo(r, r.remote() + " has it already");
        }
        if (!repo.hasContent(key)) {
            throw new TransferFailure("the content of " + label(r) + " is not here to send; get it first");
        }
        Optional<Into> into = remote.disk().map(d -> new Into(r.remote(), d));
        if (into.isPresent()) {
            admit(r, into.get());
        }
        List<Holding.Side> sides = List.of(new Holding.Side(records, Direction.UPLOAD, r.remoteUuid()));
        return switch (Holding.take(r, sides, Optional.empty(), () -> remote.checkPresent(key).present(),
                stopping)) {
            case Holding.Arrived a -> {
                locations.present(remote.uuid(), key);
                yield TransferOutcome.nothingToDo(r, "sent by another process");
            }
            case Holding.Held h -> {
                boolean finished = false;
                try {
                    Storing stored = copier.store(r, h.holding(), remote, repo.store(),
                            remaining -> disks.progress(ticket(r), remaining));
                    TransferOutcome outcome = switch (stored) {
                        case Storing.Stored s -> {
                            locations.received(remote, key);
                            yield TransferOutcome.done(r, s.moved(), s.resumedFrom());
                        }
                        case Storing.AlreadyHave s -> {
                            locations.present(remote.uuid(), key);
                            yield TransferOutcome.nothingToDo(r, r.remote() + " has it already");
                        }
                        case Storing.ArrivedMeanwhile s -> {
                            locations.present(remote.uuid(), key);
                            yield TransferOutcome.nothingToDo(r, "received by another process");
                        }
                        case Storing.Failed f -> throw new TransferFailure(f.reason(),
                                f.noSpace() ? into : Optional.empty());
                    };
                    h.holding().finish();
                    finished = true;
                    if (stored instanceof Storing.Stored) {
                        disks.wrote(r.remote());
                    }
                    yield outcome;
                } finally {
                    if (!finished) {
                        h.holding().end(stopping.getAsBoolean());
                    }
                }
            }
        };
    }

    private Remote reach(TransferRequest r) throws TransferFailure {
        try {
            return remotes.open(r.remote());
        } catch (RepoException e) {
            throw new TransferFailure(e.getMessage());
        }
    }

    /**
     * Fails the transfer with git-annex's message unless the key leaves the reserve of {@code into}'s disk free; the
     * admitted transfer counts against that disk until the worker ends it ({@link Disks#release}).
     */
    private void admit(TransferRequest r, Into into) throws RepoException, TransferFailure {
        if (!settings.checkSpace()) {
            return;
        }
        long already = into.disk().partialSize(r.key());
        Optional<String> refused = disks.admit(ticket(r), into.name(), into.disk(), r.key().size().orElse(1),
                already);
        if (refused.isPresent()) {
            throw new TransferFailure(refused.get());
        }
    }

    /** The ticket under which {@link Disks} counts the transfer of {@code r}. */
    static Object ticket(TransferRequest r) {
        return TransferService.Ident.of(r);
    }

    static String label(TransferRequest r) {
        return r.file().orElse(r.key().serialize());
    }
}
