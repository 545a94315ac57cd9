package io.annexsync.transfer.remote.p2p.git;

import io.annexsync.transfer.remote.p2p.protocol.GitTunnel;
import io.annexsync.transfer.remote.p2p.protocol.P2PClient;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Service;
import io.annexsync.transfer.remote.p2p.protocol.TunnelFetchConnection;
import io.annexsync.transfer.remote.p2p.protocol.TunnelPushConnection;
import io.annexsync.transfer.remote.p2p.tls.DeviceId;
import io.annexsync.transfer.remote.p2p.tls.PeerConnector;
import java.io.IOException;
import java.time.Duration;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.PackTransport;
import org.eclipse.jgit.transport.PushConnection;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

/**
 * One fetch or push to a pinned peer: each {@code openFetch}/{@code openPush} opens a {@link PeerClients} client
 * (the fetching repository's pin and identity, within the transport's timeout, {@link PeerConnector#DEFAULT_TIMEOUT}
 * when none is set) and {@code CONNECT}s the git service. The connection and its connector's thread end when JGit
 * closes the connection. Every failure is a {@link TransportException} whose message says what to do (JGit's push
 * then counts the remote unreachable and the push owed).
 */
final class PeerTransport extends Transport implements PackTransport {
    private final DeviceId device;
    private final String remoteName;

    PeerTransport(Repository local, URIish uri, String remoteName, DeviceId device) {
        super(local, uri);
        this.device = device;
        this.remoteName = remoteName == null ? device.shortForm() : remoteName;
    }

    @Override
    public FetchConnection openFetch() throws TransportException {
        GitTunnel tunnel = tunnel(Service.UPLOAD_PACK);
        try {
            return new TunnelFetchConnection(this, tunnel);
        } catch (TransportException | RuntimeException e) {
            closeQuietly(tunnel);
            throw e;
        }
    }

    @Override
    public PushConnection openPush() throws TransportException {
        GitTunnel tunnel = tunnel(Service.RECEIVE_PACK);
        try {
            return new TunnelPushConnection(this, tunnel);
        } catch (TransportException | RuntimeException e) {
            closeQuietly(tunnel);
            throw e;
        }
    }

    private GitTunnel tunnel(Service service) throws TransportException {
        Duration timeout = getTimeout() > 0 ? Duration.ofSeconds(getTimeout()) : PeerConnector.DEFAULT_TIMEOUT;
        P2PClient client;
        try {
            client = PeerClients.open(local, device, remoteName, timeout);
        } catch (PeerClients.PeerOpenException e) {
            throw new TransportException(uri, e.getMessage(), e);
        }
        try {
            return client.connect(service);
        } catch (IOException | RuntimeException e) {
            closeQuietly(client);
            throw new TransportException(uri, "peer " + remoteName + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing after a failure; the failure is what is reported
        }
    }

    @Override
    public void close() {
        // each connection closes itself, with its connector
    }
}
