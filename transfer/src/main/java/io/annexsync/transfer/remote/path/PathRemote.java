package io.annexsync.transfer.remote.path;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.IoMessages;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.Reachability;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.store.ContentLock;
import io.annexsync.gitsync.store.ObjectStore;
import io.annexsync.gitsync.store.RemoveOutcome;
import io.annexsync.transfer.record.TransferRecords;
import io.annexsync.transfer.remote.Disk;
import io.annexsync.transfer.remote.Here;
import io.annexsync.transfer.remote.Locking;
import io.annexsync.transfer.remote.Meter;
import io.annexsync.transfer.remote.Presence;
import io.annexsync.transfer.remote.Remote;
import io.annexsync.transfer.remote.RemoteKind;
import io.annexsync.transfer.remote.Removing;
import io.annexsync.transfer.remote.Retrieving;
import io.annexsync.transfer.remote.Stopped;
import io.annexsync.transfer.remote.Storing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote that is a repository on a local path (another clone, a mounted drive), its object store and git-annex
 * branch used directly by this process. Refuses a repository whose uuid is not the one recorded for the remote, so a
 * drive mounted at the wrong place never receives or vouches for content. Receiving a key it behaves as git-annex
 * does on the receiving side: its own transfer record of a download from us and its partial-file lock are held
 * ({@link Receiving}), the bytes go into its {@code .git/annex/tmp/KEY} (continued when an earlier try left one),
 * hashed as they arrive, and only content that matches its key enters its store; {@link #keysArrived} records what
 * it received in its own git-annex branch and commits it. Thread-safe.
 */
public final class PathRemote implements Remote {
    private static final Logger LOG = LoggerFactory.getLogger(PathRemote.class);

    /** The kind: every remote whose URL is a local path or a {@code file://} URL. */
    public static final RemoteKind KIND = new RemoteKind() {
        @Override
        public String name() {
            return "path";
        }

        @Override
        public boolean recognises(RemoteConfig config) {
            return config.localPath(Path.of("/")).isPresent();
        }

        @Override
        public Remote open(RemoteConfig config, Here here) throws RepoException {
            return PathRemote.open(config, here);
        }
    };

    private final RemoteConfig config;
    private final AnnexRepo repo;
    private final Here here;
    private final TransferRecords records;

    private PathRemote(RemoteConfig config, AnnexRepo repo, Here here) throws RepoException {
        this.config = config;
        this.repo = repo;
        this.here = here;
        this.records = new TransferRecords(repo.gitDir(), here.clock());
    }

    /** Opens the remote's repository; fails with a clear message when it is not reachable or not what we expect. */
    public static PathRemote open(RemoteConfig config, Here here) throws RepoException {
        Objects.requireNonNull(config, "config");
        Path path = switch (config.reachability(here.workTree())) {
            case Reachability.Reachable r -> r.path();
            case Reachability.Unreachable u -> throw new RepoException(u.reason());
            case Reachability.Unknown u -> throw new RepoException("remote " + config.name() + " (" + config.url()
                    + ") is not on a local path; only path remotes are supported in this version");
        };
        AnnexRepo repo = AnnexRepo.open(path);
        try {
            if (config.uuid().isPresent() && !config.uuid().get().equals(repo.uuid())) {
                throw new RepoException("remote " + config.name() + " at " + path + " has uuid " + repo.uuid()
                        + " but annex-uuid " + config.uuid().get() + " is recorded for it; refusing to use it");
            }
            return new PathRemote(config, repo, here);
        } catch (RepoException | RuntimeException e) {
            repo.close();
            throw e;
        }
    }

    @Override
    public RemoteConfig config() {
        return config;
    }

    @Override
    public Uuid uuid() {
        return repo.uuid();
    }

    @Override
    public Reachability reachability() {
        return Files.isDirectory(repo.gitDir()) ? new Reachability.Reachable(repo.workTree())
                : new Reachability.Unreachable(repo.workTree(), "remote " + config.name() + " is not reachable: "
                        + repo.workTree() + " does not exist (is the drive mounted?)");
    }

    @Override
    public Presence checkPresent(Key key) {
        return repo.hasContent(key) ? new Presence.Present() : new Presence.Absent();
    }

    @Override
    public Retrieving retrieve(Key key, Path partial, long offset, Meter meter) throws RepoException, Stopped {
        ObjectStore source = repo.store();
        if (!source.contains(key)) {
            return new Retrieving.NotPresent();
        }
        try (ContentLock lock = source.lockShared(key)) { // nobody drops it meanwhile
            if (!source.contains(key)) {
                return new Retrieving.NotPresent();
            }
            Copier.Copied c = copy(source.objectPath(key), partial, key, offset, meter);
            return new Retrieving.Retrieved(c.size(), c.resumedFrom(), c.digest());
        } catch (CopyFailed e) {
            return new Retrieving.Failed(e.reason("copying " + meter.label() + " from " + config.name() + " into "
                    + partial, meter), e.noSpace());
        }
    }

    @Override
    public Storing store(Key key, Path object, Meter meter) throws RepoException, Stopped {
        if (repo.hasContent(key)) {
            return new Storing.AlreadyHave();
        }
        Optional<Receiving> taken = Receiving.take(records, here.uuid(), key, meter, config.name(),
                () -> repo.hasContent(key));
        if (taken.isEmpty()) {
            return new Storing.ArrivedMeanwhile();
        }
        Receiving receiving = taken.get();
        boolean finished = false;
        try {
            Storing stored = receive(key, object, meter, receiving);
            if (stored instanceof Storing.Stored) {
                receiving.finish();
                finished = true;
            }
            return stored;
        } catch (Stopped e) {
            receiving.end(true);
            finished = true;
            throw e;
        } finally {
            if (!finished) {
                receiving.end(meter.stopping());
            }
        }
    }

    /** The bytes into this remote's partial file, verified, then into its store; a bad continued partial again. */
    private Storing receive(Key key, Path object, Meter meter, Receiving receiving) throws RepoException, Stopped {
        ObjectStore dest = repo.store();
        Path partial = dest.tempFileFor(key);
        Meter tracked = tracking(meter, receiving);
        try {
            long offset = Files.isRegularFile(partial) ? Files.size(partial) : 0;
            Copier.Copied copied = copy(object, partial, key, offset, tracked);
            if (copied.resumedFrom() > 0 && mismatch(key, copied.size(), copied.digest()).isPresent()) {
                LOG.warn("the partial file {} of {} held {} bytes that do not match its key; discarded it, copying {}"
                        + " {} again from the start", partial, meter.label(), copied.resumedFrom(), "to",
                        config.name());
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException e) {
                    return new Storing.Failed("cannot delete the bad partial file " + partial + ": "
                            + IoMessages.describe(e), false);
                }
                copied = copy(object, partial, key, 0, tracked);
            }
            Optional<String> bad = mismatch(key, copied.size(), copied.digest());
            if (bad.isPresent()) {
                deleteQuietly(partial);
                return new Storing.Failed("the content of " + meter.label() + " from this repository does not match"
                        + " its key (" + bad.get() + "); nothing was stored. The copy in this repository may be"
                        + " corrupted: run 'annex-sync fsck' there", false);
            }
            dest.insertHashed(key, partial, copied.digest());
            return new Storing.Stored(copied.moved(), copied.resumedFrom());
        } catch (IOException e) {
            return new Storing.Failed("cannot read the partial file " + partial + ": " + IoMessages.describe(e),
                    IoMessages.diskFull(e));
        } catch (CopyFailed e) {
            return new Storing.Failed(e.reason("copying " + meter.label() + " to " + config.name() + " into "
                    + partial, meter), e.noSpace());
        }
    }

    /** {@code meter}, whose progress is also written into the receiver's record. */
    private static Meter tracking(Meter meter, Receiving receiving) {
        return new Meter() {
            @Override
            public Optional<String> file() {
                return meter.file();
            }

            @Override
            public String label() {
                return meter.label();
            }

            @Override
            public boolean limited() {
                return meter.limited();
            }

            @Override
            public void pace(int bytes) throws InterruptedException {
                meter.pace(bytes);
            }

            @Override
            public boolean stopping() {
                return meter.stopping();
            }

            @Override
            public void progress(long bytes) {
                receiving.progress(bytes);
                meter.progress(bytes);
            }

            @Override
            public boolean dropPartialWhenFull() {
                return meter.dropPartialWhenFull();
            }
        };
    }

    /** Why content does not match its key ({@code wrong size}, {@code checksum differs}); empty when it does. */
    private static Optional<String> mismatch(Key key, long size, byte[] digest) {
        return new Retrieving.Retrieved(size, 0, digest).mismatch(key);
    }

    /** A copy that failed reading or writing: its partial file handled as the meter says. */
    private static final class CopyFailed extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Path partial;

        CopyFailed(Path partial, IOException cause) {
            super(cause);
            this.partial = partial;
        }

        boolean noSpace() {
            return IoMessages.diskFull((IOException) getCause());
        }

        String reason(String what, Meter meter) {
            String failed = what + " failed: " + IoMessages.describe((IOException) getCause());
            if (meter.dropPartialWhenFull() && noSpace()) {
                deleteQuietly(partial);
                return failed + " (the partial copy is deleted, so the disk is not left full; the transfer is tried"
                        + " again later)";
            }
            return failed + " (the partial copy is kept; the next try continues it)";
        }
    }

    private static Copier.Copied copy(Path from, Path partial, Key key, long offset, Meter meter)
            throws CopyFailed, Stopped {
        try {
            return Copier.copy(from, partial, key, offset, meter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        } catch (IOException e) {
            throw new CopyFailed(partial, e);
        }
    }

    private static void deleteQuietly(Path partial) {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            LOG.warn("cannot delete the partial file {}: {}", partial, IoMessages.describe(e));
        }
    }

    @Override
    public Locking lockContent(Key key) {
        try {
            if (!repo.hasContent(key)) {
                return new Locking.NotPresent();
            }
            ContentLock lock = repo.store().lockShared(key);
            if (!repo.hasContent(key)) {
                lock.close();
                return new Locking.NotPresent();
            }
            return new Locking.Locked(lock::close);
        } catch (RepoException e) {
            return new Locking.Failed(e.getMessage());
        }
    }

    @Override
    public synchronized Removing remove(Key key) {
        try {
            RemoveOutcome outcome = repo.store().remove(key);
            return switch (outcome) {
                case MISSING -> new Removing.NotPresent();
                case LOCKED -> new Removing.Failed("the content of " + key.serialize() + " in " + config.name()
                        + " is in use (locked by another process)");
                case REMOVED -> {
                    repo.branch().setLocation(key, repo.uuid(), false);
                    repo.flush();
                    yield new Removing.Removed();
                }
            };
        } catch (RepoException e) {
            return new Removing.Failed(e.getMessage());
        }
    }

    @Override
    public synchronized void keysArrived(Collection<Key> keys) throws RepoException {
        repo.branch().setLocations(keys, repo.uuid(), true);
        repo.flush();
    }

    @Override
    public Optional<Disk> disk() {
        return Optional.of(Disk.of(repo));
    }

    @Override
    public void close() {
        repo.close();
    }

    @Override
    public String toString() {
        return "path remote " + config.name() + " at " + repo.workTree();
    }
}
