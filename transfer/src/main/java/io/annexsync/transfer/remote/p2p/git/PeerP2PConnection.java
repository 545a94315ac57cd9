package io.annexsync.transfer.remote.p2p.git;

import io.annexsync.transfer.remote.p2p.protocol.P2PConnection;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage;
import io.annexsync.transfer.remote.p2p.protocol.StreamConnection;
import io.annexsync.transfer.remote.p2p.tls.PeerConnection;
import io.annexsync.transfer.remote.p2p.tls.PeerConnector;
import io.annexsync.transfer.remote.p2p.tls.PeerStreams;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;

/**
 * The P2P protocol over a TLS connection the connector made: the connector has read the listener's acceptance line
 * ({@code AUTH-SUCCESS uuid}), so it is put back in front of the stream for {@link
 * io.annexsync.transfer.remote.p2p.protocol.P2PClient} to read as over {@code p2pstdio}. Closing it closes the
 * connection and the connector that made it. Not thread-safe, as any {@link P2PConnection}.
 */
final class PeerP2PConnection implements P2PConnection {
    private final PeerConnection connection;
    private final PeerConnector connector;
    private final StreamConnection streams;

    PeerP2PConnection(PeerConnection connection, PeerConnector connector, String name) {
        this.connection = connection;
        this.connector = connector;
        PeerStreams s = connection.streams();
        String greeting = "AUTH-SUCCESS " + connection.peerUuid().orElseThrow() + "\n";
        InputStream in = new SequenceInputStream(
                new ByteArrayInputStream(greeting.getBytes(StandardCharsets.US_ASCII)), s.in());
        this.streams = new StreamConnection(in, s.out(), name + " (" + connection + ")");
    }

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
            connector.close();
        }
    }
}
