package io.annexsync.transfer.remote.p2p.git;

import io.annexsync.gitsync.Uuid;
import io.annexsync.transfer.remote.p2p.protocol.Handshake;
import io.annexsync.transfer.remote.p2p.protocol.P2PClient;
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
import org.eclipse.jgit.lib.Repository;

/**
 * P2P protocol clients to a repository's pinned peers: the pin found by device id, a TLS connection made with the
 * repository's device identity, the listener's acceptance line read, {@code VERSION 1}. What the git transport and
 * the daemon's change watch open. Closing the client closes its connection and the connector thread it owns.
 */
public final class PeerClients {
    private PeerClients() {
    }

    /** Why a peer could not be opened, said for the user. */
    public static final class PeerOpenException extends IOException {
        private static final long serialVersionUID = 1L;

        PeerOpenException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Opens the P2P protocol to the peer {@code device} pinned in {@code local}.
     *
     * @param name the remote's name, for messages
     * @throws PeerOpenException when it is not pinned, this repository has no uuid or identity, or the peer cannot
     *     be reached, refuses us or breaks the protocol; the message says which
     */
    public static P2PClient open(Repository local, DeviceId device, String name, Duration timeout)
            throws PeerOpenException {
        Path gitDir = local.getDirectory().toPath();
        PeerPin pin = pin(gitDir, device, name);
        Uuid self = Uuid.parse(local.getConfig().getString("annex", null, "uuid")).orElseThrow(
                () -> new PeerOpenException("this repository has no annex.uuid: run 'annex-sync init'", null));
        DeviceIdentity identity;
        try {
            identity = DeviceIdentity.loadOrCreate(gitDir);
        } catch (IOException e) {
            throw new PeerOpenException("cannot read this device's identity: " + e.getMessage(), e);
        }
        PeerConnector connector = new PeerConnector(identity, 1);
        PeerConnection connection = null;
        try {
            connection = connector.connect(pin.address(), device, timeout);
            return P2PClient.open(new PeerP2PConnection(connection, connector, name), self,
                    new Handshake.ServerFirst(pin.uuid()));
        } catch (IOException | RuntimeException e) {
            if (connection != null) {
                connection.close();
            }
            connector.close();
            String where = e instanceof PeerConnectException ? ""
                    : " at " + pin.address();
            throw new PeerOpenException("peer " + name + where + ": " + e.getMessage(), e);
        }
    }

    private static PeerPin pin(Path gitDir, DeviceId device, String name) throws PeerOpenException {
        Optional<PeerPin> pin;
        try {
            pin = new PeerPins(gitDir).findById(device);
        } catch (IOException e) {
            throw new PeerOpenException("cannot read the pinned peers: " + e.getMessage(), e);
        }
        return pin.orElseThrow(() -> new PeerOpenException("device " + device + " (remote " + name
                + ") is not pinned here: run 'annex-sync peer add NAME HOST:PORT " + device + "' first", null));
    }
}
