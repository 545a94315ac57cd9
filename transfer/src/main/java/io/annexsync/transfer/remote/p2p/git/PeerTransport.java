package io.annexsync.transfer.remote.p2p.git;

import io.annexsync.gitsync.Uuid;
import io.annexsync.transfer.remote.p2p.protocol.GitTunnel;
import io.annexsync.transfer.remote.p2p.protocol.Handshake;
import io.annexsync.transfer.remote.p2p.protocol.P2PClient;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Service;
import io.annexsync.transfer.remote.p2p.protocol.TunnelFetchConnection;
import io.annexsync.transfer.remote.p2p.protocol.TunnelPushConnection;
import io.annexsync.transfer.remote.p2p.tls.DeviceId;
import io.annexsync.transfer.remote.p2p.tls.DeviceIdentity;
import io.annexsync.transfer.remote.p2p.tls.PeerConnectException;
import io.annexsync.transfer.remote.p2p.tls.PeerConnection;
import io.annexsync.transfer.remote.p2p.tls.PeerConnector;
import io.annexsync.transfer.remote.p2p.tls.PeerPin;
import io.annexsync.transfer.remote.p2p.tls.PeerPins;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.PackTransport;
import org.eclipse.jgit.transport.PushConnection;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

/**
 * One fetch or push to a pinned peer: each {@code openFetch}/{@code openPush} looks the device id up in the fetching
 * repository's pins, connects with that repository's device identity (mutual TLS, within the transport's timeout,
 * {@link PeerConnector#DEFAULT_TIMEOUT} when none is set), opens the P2P protocol ({@code VERSION 1}) and
 * {@code CONNECT}s the git service. The connection and its connector's thread end when JGit closes the connection.
 * Every failure is a {@link TransportException} whose message says what to do (JGit's push then counts the remote
 * unreachable and the push owed).
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
        Path gitDir = local.getDirectory().toPath();
        PeerPin pin = pin(gitDir);
        Uuid self = Uuid.parse(local.getConfig().getString("annex", null, "uuid")).orElseThrow(
                () -> new TransportException(uri, "this repository has no annex.uuid: run 'annex-sync init'"));
        DeviceIdentity identity;
        try {
            identity = DeviceIdentity.loadOrCreate(gitDir);
        } catch (IOException e) {
            throw new TransportException(uri, "cannot read this device's identity: " + e.getMessage(), e);
        }
        Duration timeout = getTimeout() > 0 ? Duration.ofSeconds(getTimeout()) : PeerConnector.DEFAULT_TIMEOUT;
        PeerConnector connector = new PeerConnector(identity, 1);
        PeerConnection connection = null;
        P2PClient client = null;
        try {
            connection = connector.connect(pin.address(), device, timeout);
            client = P2PClient.open(new PeerP2PConnection(connection, connector, remoteName), self,
                    new Handshake.ServerFirst(pin.uuid()));
            return client.connect(service);
        } catch (PeerConnectException e) {
            connector.close();
            throw new TransportException(uri, "peer " + remoteName + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            if (client != null) {
                closeQuietly(client);
            } else if (connection != null) {
                connection.close();
            }
            connector.close();
            throw new TransportException(uri, "peer " + remoteName + " at " + pin.address() + ": " + e.getMessage(),
                    e);
        }
    }

    private PeerPin pin(Path gitDir) throws TransportException {
        Optional<PeerPin> pin;
        try {
            pin = new PeerPins(gitDir).findById(device);
        } catch (IOException e) {
            throw new TransportException(uri, "cannot read the pinned peers: " + e.getMessage(), e);
        }
        return pin.orElseThrow(() -> new TransportException(uri, "device " + device + " (remote " + remoteName
                + ") is not pinned here: run 'annex-sync peer add NAME HOST:PORT " + device + "' first"));
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
