package io.annexsync.transfer.remote.p2p.protocol;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.store.ObjectStore;
import io.annexsync.gitsync.store.VerifyResult;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Service;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of git-annex's P2P protocol over any {@link P2PConnection}: talks to {@code git-annex-shell
 * p2pstdio} of real git-annex as to an annex-sync peer. Blocking, one request at a time (what the protocol allows),
 * so a transfer worker runs it on its virtual thread. Expected outcomes (absent, already there, refused, content
 * that did not verify) are values; an {@link IOException} means the connection failed or the server broke the
 * protocol, and the client is then unusable. Not thread-safe; closing it closes the connection.
 */
public final class P2PClient implements Closeable {
    /** The highest protocol version this side speaks (git-annex 10.20230126's too). */
    public static final long MAX_VERSION = 1;

    private static final Logger LOG = LoggerFactory.getLogger(P2PClient.class);

    private final P2PConnection connection;
    private final Uuid serverUuid;
    private final long version;
    private boolean busy;
    private boolean broken;

    private P2PClient(P2PConnection connection, Uuid serverUuid, long version) {
        this.connection = connection;
        this.serverUuid = serverUuid;
        this.version = version;
    }

    /**
     * Opens the protocol on {@code connection}: the handshake, then {@code VERSION} negotiation.
     *
     * @param self this repository's uuid, sent in {@code AUTH}
     * @throws P2PProtocolException when the server refuses us, is not the expected one, or breaks the protocol
     */
    public static P2PClient open(P2PConnection connection, Uuid self, Handshake handshake) throws IOException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(self, "self");
        Uuid server = switch (handshake) {
            case Handshake.ServerFirst first -> serverFirst(connection, first);
            case Handshake.Authenticate auth -> authenticate(connection, self, auth);
        };
        connection.send(new P2PMessage.Version(MAX_VERSION));
        P2PMessage answer = connection.receive();
        if (!(answer instanceof P2PMessage.Version v) || v.version() > MAX_VERSION) {
            throw unexpected(connection, "VERSION", answer);
        }
        LOG.debug("P2P connection to {} ({}) speaks version {}", connection.peer(), server, v.version());
        return new P2PClient(connection, server, v.version());
    }

    private static Uuid serverFirst(P2PConnection connection, Handshake.ServerFirst first) throws IOException {
        P2PMessage hello = connection.receive();
        if (!(hello instanceof P2PMessage.AuthSuccess ok)) {
            throw unexpected(connection, "AUTH-SUCCESS", hello);
        }
        if (first.expected().isPresent() && !first.expected().get().equals(ok.uuid())) {
            throw new P2PProtocolException(connection.peer() + " is repository " + ok.uuid() + ", not the expected "
                    + first.expected().get());
        }
        return ok.uuid();
    }

    private static Uuid authenticate(P2PConnection connection, Uuid self, Handshake.Authenticate auth)
            throws IOException {
        connection.send(new P2PMessage.Auth(self, auth.token()));
        P2PMessage answer = connection.receive();
        return switch (answer) {
            case P2PMessage.AuthSuccess ok -> ok.uuid();
            case P2PMessage.AuthFailure f -> throw new P2PProtocolException(connection.peer() + " refused our AUTH");
            default -> throw unexpected(connection, "AUTH-SUCCESS", answer);
        };
    }

    /** The server's repository uuid. */
    public Uuid serverUuid() {
        return serverUuid;
    }

    /** The protocol version both sides speak. */
    public long version() {
        return version;
    }

    /** Whether the server has the content of {@code key}. */
    public boolean checkPresent(Key key) throws IOException {
        return request(() -> {
            connection.send(new P2PMessage.CheckPresent(key));
            return successOrFailure("CHECKPRESENT");
        });
    }

    /**
     * Downloads {@code key} into {@code partial} ({@code .git/annex/tmp/KEY} of the caller's store), resuming after
     * what it holds already, then verifies the whole file against the key and tells the server the outcome.
     * Content that fails verification or that the server marked INVALID is deleted from {@code partial}.
     */
    public GetResult get(Key key, Optional<String> file, Path partial) throws IOException {
        return request(() -> {
            long offset = Files.exists(partial) ? Files.size(partial) : 0;
            connection.send(new P2PMessage.Get(offset, file, key));
            P2PMessage answer = connection.receive();
            if (!(answer instanceof P2PMessage.Data data)) {
                throw unexpected(connection, "DATA", answer);
            }
            long received = receiveInto(partial, offset);
            boolean valid = validity();
            GetResult.Outcome outcome = outcome(key, partial, data.length(), valid);
            connection.send(outcome == GetResult.Outcome.RECEIVED ? new P2PMessage.Success()
                    : new P2PMessage.Failure());
            return new GetResult(outcome, offset, received);
        });
    }

    private long receiveInto(Path partial, long offset) throws IOException {
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            out.position(offset);
            OutputStream sink = Channels.newOutputStream(out);
            long n = connection.receiveBody(sink);
            out.force(false);
            return n;
        }
    }

    /** After a body: VALID or INVALID in version 1; version 0 has none (always valid). */
    private boolean validity() throws IOException {
        if (version < 1) {
            return true;
        }
        P2PMessage m = connection.receive();
        return switch (m) {
            case P2PMessage.Valid v -> true;
            case P2PMessage.Invalid i -> false;
            default -> throw unexpected(connection, "VALID or INVALID", m);
        };
    }

    private GetResult.Outcome outcome(Key key, Path partial, long length, boolean valid) throws IOException {
        if (!valid) {
            Files.deleteIfExists(partial);
            return length == 0 ? GetResult.Outcome.NOT_PRESENT : GetResult.Outcome.INVALID;
        }
        VerifyResult check = ObjectStore.check(key, partial);
        if (check == VerifyResult.OK || check == VerifyResult.UNVERIFIABLE) {
            return GetResult.Outcome.RECEIVED;
        }
        LOG.warn("content of {} from {} did not verify ({}); discarded", key, connection.peer(), check);
        Files.deleteIfExists(partial);
        return GetResult.Outcome.BAD_CONTENT;
    }

    /**
     * Uploads the content of {@code key} from {@code source}, from the offset the server asks for (its partial
     * file), marking it INVALID when the file changed size while it was read.
     */
    public PutResult put(Key key, Optional<String> file, Path source) throws IOException {
        return request(() -> {
            connection.send(new P2PMessage.Put(file, key));
            P2PMessage answer = connection.receive();
            long offset = switch (answer) {
                case P2PMessage.AlreadyHave a -> -1;
                case P2PMessage.PutFrom from -> from.offset();
                default -> throw unexpected(connection, "PUT-FROM or ALREADY-HAVE", answer);
            };
            if (offset < 0) {
                return new PutResult(PutResult.Outcome.ALREADY_HAVE, 0);
            }
            boolean valid = sendFrom(source, offset);
            return new PutResult(successOrFailure("PUT") && valid ? PutResult.Outcome.STORED
                    : PutResult.Outcome.REFUSED, offset);
        });
    }

    private boolean sendFrom(Path source, long offset) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            long size = in.size();
            long length = Math.max(0, size - offset);
            in.position(Math.min(offset, size));
            InputStream stream = Channels.newInputStream(in);
            boolean complete = connection.sendData(stream, length) && in.size() == size;
            if (version >= 1) {
                connection.send(complete ? new P2PMessage.Valid() : new P2PMessage.Invalid());
            }
            return complete;
        }
    }

    /**
     * Asks the server to keep the content of {@code key} until the returned lock is closed (while a copy elsewhere
     * is dropped). Nothing else can be asked meanwhile.
     *
     * @return the lock, or empty when the server does not have the content or cannot lock it
     */
    public Optional<RemoteLock> lockContent(Key key) throws IOException {
        boolean locked = request(() -> {
            connection.send(new P2PMessage.LockContent(key));
            return successOrFailure("LOCKCONTENT");
        });
        if (!locked) {
            return Optional.empty();
        }
        busy = true;
        return Optional.of(new RemoteLock(key));
    }

    /** A content lock held on the server; closing it sends {@code UNLOCKCONTENT}. */
    public final class RemoteLock implements AutoCloseable {
        private final Key key;
        private boolean closed;

        private RemoteLock(Key key) {
            this.key = key;
        }

        /** The locked key. */
        public Key key() {
            return key;
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                busy = false;
                connection.send(new P2PMessage.UnlockContent());
            }
        }
    }

    /**
     * Asks the server to drop its content of {@code key} (numcopies is the caller's business, as in git-annex).
     *
     * @return true when the server no longer has it (also when it never had it); false when it refused (locked)
     */
    public boolean remove(Key key) throws IOException {
        return request(() -> {
            connection.send(new P2PMessage.Remove(key));
            return successOrFailure("REMOVE");
        });
    }

    /**
     * Waits for the server to say that refs changed ({@code NOTIFYCHANGE}); git-annex-shell p2pstdio cannot do this
     * and closes the connection (NETWORK.md, quirk 2).
     *
     * @return the new ref SHAs the server sent
     */
    public List<String> awaitChange() throws IOException {
        return request(() -> {
            connection.send(new P2PMessage.NotifyChange());
            P2PMessage m = connection.receive();
            if (!(m instanceof P2PMessage.Changed changed)) {
                throw unexpected(connection, "CHANGED", m);
            }
            return changed.refs();
        });
    }

    /**
     * Starts git's {@code service} on the server, its stdio carried in DATA frames. This uses up the connection
     * (git-annex runs one git operation per connection): afterwards only the tunnel may be used.
     */
    public GitTunnel connect(Service service) throws IOException {
        request(() -> {
            connection.send(new P2PMessage.Connect(service));
            return null;
        });
        busy = true;
        return new GitTunnel(connection);
    }

    private <T> T request(Call<T> call) throws IOException {
        if (broken) {
            throw new P2PProtocolException("the connection to " + connection.peer() + " failed before");
        }
        if (busy) {
            throw new IllegalStateException("the connection to " + connection.peer() + " is held by a content lock"
                    + " or a git service");
        }
        try {
            return call.run();
        } catch (IOException | RuntimeException e) {
            broken = true;
            throw e;
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    private boolean successOrFailure(String what) throws IOException {
        P2PMessage m = connection.receive();
        return switch (m) {
            case P2PMessage.Success s -> true;
            case P2PMessage.Failure f -> false;
            default -> throw unexpected(connection, "SUCCESS or FAILURE after " + what, m);
        };
    }

    private static P2PProtocolException unexpected(P2PConnection connection, String expected, P2PMessage got) {
        String shown = got instanceof P2PMessage.Unknown u ? "'" + u.line() + "' (" + u.reason() + ")"
                : P2PCodec.format(got);
        return new P2PProtocolException(connection.peer() + " sent " + shown + " where " + expected + " was due");
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
