package io.annexsync.transfer.remote.p2p.protocol;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.store.ContentLock;
import io.annexsync.gitsync.store.ObjectStore;
import io.annexsync.gitsync.store.RemoveOutcome;
import io.annexsync.transfer.record.ActiveTransfer;
import io.annexsync.transfer.record.Direction;
import io.annexsync.transfer.record.PartialLock;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's conversation with this repository's server, run on its own virtual thread over a blocking
 * {@link P2PConnection}: admission, then one request at a time as git-annex's {@code serveAuthed} answers them.
 * Anything the peer sends is untrusted: an unparseable line gets {@code ERROR unknown command} (and a log line);
 * a peer that breaks the protocol (a message where DATA was due, DATA longer than its key, a line over 32 KiB, its
 * own ERROR) is logged and disconnected; content enters the store only once verified against its key. Not
 * thread-safe: one thread runs it.
 */
final class P2PServerSession {
    private static final Logger LOG = LoggerFactory.getLogger(P2PServerSession.class);
    private static final int MAX_AUTH_TRIES = 3;
    private static final int MAX_UNKNOWN = 100;

    private final P2PServer.Context context;
    private final Admission admission;
    private final P2PConnection connection;
    private final ObjectStore store;
    private Uuid client;
    private long version;
    private int unknown;

    P2PServerSession(P2PServer.Context context, Admission admission, P2PConnection connection) {
        this.context = context;
        this.admission = admission;
        this.connection = connection;
        this.store = context.repo().store();
    }

    /** Serves until the peer leaves or misbehaves; never throws. */
    void run() {
        try (P2PConnection c = connection) {
            if (admit()) {
                while (serve(connection.receive())) {
                    // one request at a time
                }
            }
        } catch (Hangup h) {
            LOG.warn("P2P peer {} ({}) {}; disconnected", connection.peer(), client, h.getMessage());
        } catch (EOFException e) {
            LOG.debug("P2P peer {} left: {}", connection.peer(), e.getMessage());
        } catch (IOException | RepoException e) {
            LOG.warn("P2P session with {} ({}) ended: {}", connection.peer(), client, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("P2P session with {} failed", connection.peer(), e);
        }
    }

    /** The peer must be disconnected; the message says what it did. */
    private static final class Hangup extends IOException {
        private static final long serialVersionUID = 1L;

        Hangup(String message) {
            super(message);
        }
    }

    private boolean admit() throws IOException {
        switch (admission) {
            case Admission.Known known -> {
                client = known.client();
                connection.send(new P2PMessage.AuthSuccess(context.repo().uuid()));
                return true;
            }
            case Admission.Greeted greeted -> {
                client = greeted.client();
                return true;
            }
            case Admission.Token token -> {
                for (int tries = 0; tries < MAX_AUTH_TRIES; tries++) {
                    P2PMessage m = connection.receive();
                    if (m instanceof P2PMessage.Auth auth) {
                        Optional<Uuid> ok = token.authenticator().check(auth.uuid(), auth.token());
                        if (ok.isPresent()) {
                            client = ok.get();
                            connection.send(new P2PMessage.AuthSuccess(context.repo().uuid()));
                            return true;
                        }
                        LOG.warn("P2P peer {} sent a wrong AUTH token for {}", connection.peer(), auth.uuid());
                        connection.send(new P2PMessage.AuthFailure());
                    } else {
                        rejectBeforeAuth(m);
                    }
                }
                throw new Hangup("failed to AUTH " + MAX_AUTH_TRIES + " times");
            }
        }
    }

    private void rejectBeforeAuth(P2PMessage m) throws IOException {
        if (m instanceof P2PMessage.Data || m instanceof P2PMessage.Error) {
            throw new Hangup("sent " + describe(m) + " before AUTH");
        }
        connection.send(new P2PMessage.Error(m instanceof P2PMessage.Unknown ? "unknown command"
                : "must AUTH first"));
    }

    /** Answers one request; false when the connection is used up (CONNECT). */
    private boolean serve(P2PMessage m) throws IOException, RepoException {
        switch (m) {
            case P2PMessage.Version v -> {
                version = Math.min(v.version(), P2PClient.MAX_VERSION);
                connection.send(new P2PMessage.Version(version));
            }
            case P2PMessage.CheckPresent c -> success(store.contains(c.key()));
            case P2PMessage.LockContent l -> lockContent(l.key());
            case P2PMessage.Remove r -> remove(r.key());
            case P2PMessage.Get g -> sendContent(g);
            case P2PMessage.Put p -> receiveContent(p);
            case P2PMessage.NotifyChange n -> notifyChange();
            case P2PMessage.Connect c -> {
                new GitService(context.repo(), connection).run(c.service(), client);
                return false;
            }
            case P2PMessage.Unknown u -> unknownCommand(u);
            case P2PMessage.Error e -> throw new Hangup("sent ERROR " + e.text());
            case P2PMessage.Data d -> throw new Hangup("sent DATA " + d.length() + " where no content was due");
            default -> connection.send(new P2PMessage.Error("unexpected command"));
        }
        return true;
    }

    private void unknownCommand(P2PMessage.Unknown u) throws IOException {
        LOG.info("P2P peer {} sent '{}' ({}): answered ERROR unknown command", connection.peer(), u.line(),
                u.reason());
        if (++unknown > MAX_UNKNOWN) {
            throw new Hangup("sent more than " + MAX_UNKNOWN + " unknown commands");
        }
        connection.send(new P2PMessage.Error("unknown command"));
    }

    private void success(boolean ok) throws IOException {
        connection.send(ok ? new P2PMessage.Success() : new P2PMessage.Failure());
    }

    private void lockContent(Key key) throws IOException, RepoException {
        Optional<ContentLock> lock = Optional.empty();
        if (store.contains(key)) {
            try {
                lock = Optional.of(store.lockShared(key));
            } catch (RepoException e) {
                LOG.debug("cannot lock {} for {}: {}", key, connection.peer(), e.getMessage());
            }
        }
        success(lock.isPresent());
        if (lock.isEmpty()) {
            return;
        }
        try (ContentLock held = lock.get()) {
            P2PMessage next = connection.receive();
            if (!(next instanceof P2PMessage.UnlockContent)) {
                connection.send(new P2PMessage.Error("expected UNLOCKCONTENT"));
                if (next instanceof P2PMessage.Data || next instanceof P2PMessage.Error) {
                    throw new Hangup("sent " + describe(next) + " while holding a content lock");
                }
            }
        }
    }

    private void remove(Key key) throws IOException, RepoException {
        RemoveOutcome outcome = store.remove(key);
        if (outcome == RemoveOutcome.REMOVED) {
            context.locations().setPresent(key, false);
        }
        success(outcome != RemoveOutcome.LOCKED);
    }

    private void sendContent(P2PMessage.Get get) throws IOException, RepoException {
        Key key = get.key();
        Optional<ContentLock> lock = Optional.empty();
        if (store.contains(key)) {
            try {
                lock = Optional.of(store.lockShared(key));
            } catch (RepoException e) {
                LOG.debug("cannot lock {} to send it: {}", key, e.getMessage());
            }
        }
        if (lock.isEmpty()) {
            connection.sendData(InputStream.nullInputStream(), 0);
            if (version >= 1) {
                connection.send(new P2PMessage.Invalid());
            }
            awaitSuccess();
            return;
        }
        try (ContentLock held = lock.get();
                ActiveTransfer transfer = context.records().begin(Direction.UPLOAD, client, key, get.file())
                        .orElse(null)) {
            boolean ok = send(store.objectPath(key), get.offset()) && awaitSuccess();
            if (transfer != null && ok) {
                transfer.finish();
            }
        }
    }

    private boolean send(Path object, long offset) throws IOException {
        try (FileChannel in = FileChannel.open(object, StandardOpenOption.READ)) {
            long size = in.size();
            long length = Math.max(0, size - offset);
            in.position(Math.min(offset, size));
            boolean complete = connection.sendData(Channels.newInputStream(in), length);
            if (version >= 1) {
                connection.send(complete ? new P2PMessage.Valid() : new P2PMessage.Invalid());
            }
            return complete;
        }
    }

    private boolean awaitSuccess() throws IOException {
        P2PMessage m = connection.receive();
        return switch (m) {
            case P2PMessage.Success s -> true;
            case P2PMessage.Failure f -> false;
            default -> throw new Hangup("sent " + describe(m) + " where SUCCESS or FAILURE was due");
        };
    }

    private void receiveContent(P2PMessage.Put put) throws IOException, RepoException {
        Key key = put.key();
        if (store.contains(key)) {
            connection.send(new P2PMessage.AlreadyHave());
            return;
        }
        Optional<ActiveTransfer> transfer = context.records().begin(Direction.DOWNLOAD, client, key, put.file());
        if (transfer.isEmpty()) {
            connection.send(new P2PMessage.Error("transfer of " + key + " already in progress"));
            return;
        }
        try (ActiveTransfer t = transfer.get()) {
            Optional<PartialLock> partialLock = context.records().tryLockPartial(key);
            if (partialLock.isEmpty()) {
                connection.send(new P2PMessage.Error("transfer of " + key + " already in progress"));
                return;
            }
            try (PartialLock held = partialLock.get()) {
                if (new Receiver(key, t).receive()) {
                    context.locations().setPresent(key, true);
                    t.finish();
                    connection.send(new P2PMessage.Success());
                } else {
                    connection.send(new P2PMessage.Failure());
                }
            }
        }
    }

    /** Receives one PUT's content into the partial file and stores it once verified. */
    private final class Receiver {
        private final Key key;
        private final ActiveTransfer transfer;

        Receiver(Key key, ActiveTransfer transfer) {
            this.key = key;
            this.transfer = transfer;
        }

        boolean receive() throws IOException, RepoException {
            Path partial = store.tempFileFor(key);
            long offset = Files.exists(partial) ? Files.size(partial) : 0;
            if (key.size().isPresent() && offset > key.size().getAsLong()) {
                offset = 0;
            }
            connection.send(new P2PMessage.PutFrom(offset));
            P2PMessage m = connection.receive();
            if (!(m instanceof P2PMessage.Data data)) {
                if (m instanceof P2PMessage.Error e) {
                    LOG.debug("{} gave up its PUT of {}: {}", connection.peer(), key, e.text());
                    return false;
                }
                throw new Hangup("sent " + describe(m) + " where DATA was due");
            }
            if (key.size().isPresent() && offset + data.length() > key.size().getAsLong()) {
                throw new Hangup("sent DATA " + data.length() + " from offset " + offset + " for " + key
                        + ", longer than its content");
            }
            write(partial, offset);
            boolean valid = version < 1 || validity();
            if (!valid) {
                Files.deleteIfExists(partial);
                return false;
            }
            try {
                store.insertVerified(key, partial);
                return true;
            } catch (RepoException e) {
                LOG.warn("P2P peer {} sent content that does not match {} ({}); nothing stored",
                        connection.peer(), key, e.getMessage());
                return false;
            }
        }

        private void write(Path partial, long offset) throws IOException, RepoException {
            try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                out.truncate(offset);
                out.position(offset);
                long got = connection.receiveBody(new ProgressStream(Channels.newOutputStream(out), offset, transfer));
                out.force(false);
                transfer.progress(offset + got);
            }
        }

        private boolean validity() throws IOException {
            P2PMessage m = connection.receive();
            return switch (m) {
                case P2PMessage.Valid v -> true;
                case P2PMessage.Invalid i -> false;
                default -> throw new Hangup("sent " + describe(m) + " where VALID or INVALID was due");
            };
        }
    }

    private void notifyChange() throws IOException {
        BlockingQueue<List<String>> changes = new LinkedBlockingQueue<>();
        try (RefChanges.Subscription s = context.refChanges().subscribe(changes::add)) {
            List<String> refs = null;
            while (refs == null) {
                if (!connection.isOpen()) {
                    throw new EOFException(connection.peer() + " left (or talked on) while waiting for a ref change");
                }
                try {
                    refs = changes.poll(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted waiting for a ref change");
                }
            }
            connection.send(new P2PMessage.Changed(refs));
        }
    }

    static String describe(P2PMessage m) {
        return m instanceof P2PMessage.Unknown u ? "'" + u.line() + "'" : P2PCodec.format(m);
    }
}
