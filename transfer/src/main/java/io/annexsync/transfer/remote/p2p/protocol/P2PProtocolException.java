package io.annexsync.transfer.remote.p2p.protocol;

import java.io.IOException;

/**
 * The other side broke the P2P protocol (a line over {@link P2PCodec#MAX_LINE}, a message where another was due, a
 * connection cut inside a DATA body): the connection cannot go on and is closed.
 */
public class P2PProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public P2PProtocolException(String message) {
        super(message);
    }
}
