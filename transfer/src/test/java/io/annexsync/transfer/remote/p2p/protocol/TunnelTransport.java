package io.annexsync.transfer.remote.p2p.protocol;

import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Service;
import java.io.IOException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.PackTransport;
import org.eclipse.jgit.transport.PushConnection;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

/** A JGit transport whose every operation opens a new P2P connection and CONNECTs (the tests' stand-in). */
final class TunnelTransport extends Transport implements PackTransport {
    /** Opens a fresh client (a CONNECT uses its connection up). */
    @FunctionalInterface
    interface Opener {
        P2PClient open() throws IOException;
    }

    private final Opener opener;

    TunnelTransport(Repository local, Opener opener) throws Exception {
        super(local, new URIish("p2p-test://peer/repo"));
        this.opener = opener;
    }

    private GitTunnel tunnel(Service service) throws TransportException {
        try {
            return opener.open().connect(service);
        } catch (IOException e) {
            throw new TransportException(getURI(), "cannot CONNECT " + service.wireName(), e);
        }
    }

    @Override
    public FetchConnection openFetch() throws TransportException {
        return new TunnelFetchConnection(this, tunnel(Service.UPLOAD_PACK));
    }

    @Override
    public PushConnection openPush() throws TransportException {
        return new TunnelPushConnection(this, tunnel(Service.RECEIVE_PACK));
    }

    @Override
    public void close() {
        // each connection closes itself
    }
}
