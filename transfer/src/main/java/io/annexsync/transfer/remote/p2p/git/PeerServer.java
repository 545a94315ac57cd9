package io.annexsync.transfer.remote.p2p.git;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.transfer.record.TransferRecords;
import io.annexsync.transfer.remote.p2p.protocol.Admission;
import io.annexsync.transfer.remote.p2p.protocol.P2PConnection;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage;
import io.annexsync.transfer.remote.p2p.protocol.P2PServer;
import io.annexsync.transfer.remote.p2p.protocol.RefChanges;
import io.annexsync.transfer.remote.p2p.protocol.StreamConnection;
import io.annexsync.transfer.remote.p2p.tls.DeviceId;
import io.annexsync.transfer.remote.p2p.tls.DeviceIdentity;
import io.annexsync.transfer.remote.p2p.tls.PeerConnection;
import io.annexsync.transfer.remote.p2p.tls.PeerListener;
import io.annexsync.transfer.remote.p2p.tls.PeerPin;
import io.annexsync.transfer.remote.p2p.tls.PeerPins;
import io.annexsync.transfer.remote.p2p.tls.PeerStreams;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This repository served to its pinned peers: a {@link PeerListener} (mutual TLS, this repository's identity and
 * pins) whose every accepted connection gets a {@link P2PServer} session on a virtual thread
 * ({@code annex-sync-peer-session-N}), admitted as {@link Admission.Greeted} (the listener sent
 * {@code AUTH-SUCCESS}). The client is known by its pin's uuid; a pin made with {@code --no-connect} has none yet, and
 * the session then names the client by a uuid made from its device id (only transfer records show it). Thread-safe;
 * closing it stops listening and ends the sessions.
 */
public final class PeerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerServer.class);
    private static final Duration IDLE = Duration.ofMinutes(10);

    private final AnnexRepo repo;
    private final PeerPins pins;
    private final P2PServer server;
    private final ExecutorService sessions = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("annex-sync-peer-session-", 0).factory());
    private PeerListener listener;

    private PeerServer(AnnexRepo repo, RefChanges refChanges) throws RepoException {
        this.repo = repo;
        this.pins = new PeerPins(repo.gitDir());
        this.server = new P2PServer(new P2PServer.Context(repo, new TransferRecords(repo.gitDir()),
                P2PServer.Context.journal(repo), refChanges, IDLE), ch -> {
                    throw new IllegalStateException("sessions run on streams");
                });
    }

    /**
     * Starts listening on {@code bind} (port 0: any free port; {@link #address()} says which).
     *
     * @throws IOException when the address cannot be bound (in use, not this machine's), naming it, or the identity
     *     cannot be read
     * @throws RepoException when the transfer records cannot be opened
     */
    public static PeerServer start(AnnexRepo repo, InetSocketAddress bind, RefChanges refChanges)
            throws IOException, RepoException {
        Objects.requireNonNull(bind, "bind");
        PeerServer s = new PeerServer(Objects.requireNonNull(repo, "repo"), Objects.requireNonNull(refChanges,
                "refChanges"));
        DeviceIdentity identity = DeviceIdentity.loadOrCreate(repo.gitDir());
        try {
            s.listener = PeerListener.start(new PeerListener.Settings(bind, identity, repo.uuid(), s.pins::pinnedIds,
                    s::accepted));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Where it listens (the port chosen when 0 was asked for). */
    public InetSocketAddress address() {
        return listener.address();
    }

    private void accepted(PeerConnection connection) {
        PeerStreams streams = connection.streams();
        try {
            sessions.execute(() -> serve(connection, streams));
        } catch (RuntimeException e) { // closing
            connection.close();
        }
    }

    private void serve(PeerConnection connection, PeerStreams streams) {
        DeviceId id = connection.peer();
        String name = id.shortForm();
        Uuid client = deviceUuid(id);
        try {
            Optional<PeerPin> pin = pins.findById(id);
            if (pin.isPresent()) {
                name = pin.get().name();
                client = pin.get().uuid().orElse(client);
            }
        } catch (IOException e) {
            LOG.warn("cannot read the pin of {}: {}", id, e.getMessage());
        }
        LOG.debug("peer {} ({}) connected from {}", name, client, connection.remoteAddress());
        try {
            server.serve(new Session(new StreamConnection(streams.in(), streams.out(), "peer " + name + " at "
                    + connection.remoteAddress()), connection), new Admission.Greeted(client));
        } finally {
            connection.close();
        }
    }

    /**
     * The session's view of the connection, open while the TLS channel is: a session waiting in {@code NOTIFYCHANGE}
     * sees a peer that left and ends, instead of waiting for a ref change for ever.
     */
    private record Session(StreamConnection streams, PeerConnection connection) implements P2PConnection {
        @Override
        public P2PMessage receive() throws IOException {
            return streams.receive();
        }

        @Override
        public int readBody(byte[] into, int offset, int length) throws IOException {
            return streams.readBody(into, offset, length);
        }

        @Override
        public void send(P2PMessage message) throws IOException {
            streams.send(message);
        }

        @Override
        public boolean sendData(InputStream source, long length) throws IOException {
            return streams.sendData(source, length);
        }

        @Override
        public boolean isOpen() {
            return connection.isOpen() && streams.isOpen();
        }

        @Override
        public String peer() {
            return streams.peer();
        }

        @Override
        public void close() throws IOException {
            try {
                streams.close();
            } finally {
                connection.close();
            }
        }
    }

        /** A stable uuid for a peer whose repository uuid is not known yet. */
    static Uuid deviceUuid(DeviceId id) {
        return new Uuid(UUID.nameUUIDFromBytes(("annex-sync device " + id).getBytes(StandardCharsets.UTF_8))
                .toString());
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
        sessions.shutdownNow();
        server.close();
    }
}
