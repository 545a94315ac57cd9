package io.annexsync.transfer.remote.p2p.protocol;

import java.io.IOException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.transport.BasePackFetchConnection;
import org.eclipse.jgit.transport.PackTransport;

/**
 * JGit's fetch over a {@code CONNECT git-upload-pack} tunnel: what a {@code Transport} for P2P remotes returns from
 * {@code openFetch()}. Closing it closes the tunnel (and its connection). Not thread-safe, as JGit's connections.
 */
public final class TunnelFetchConnection extends BasePackFetchConnection {
    private final GitTunnel tunnel;

    /** Reads the refs the service advertises over {@code tunnel}. */
    public TunnelFetchConnection(PackTransport transport, GitTunnel tunnel) throws TransportException {
        super(transport);
        this.tunnel = tunnel;
        init(tunnel.in(), tunnel.out());
        readAdvertisedRefs();
    }

    @Override
    public void close() {
        super.close();
        try {
            tunnel.close();
        } catch (IOException e) {
            // the fetch is over; a failing close of a used-up connection changes nothing
        }
    }
}
