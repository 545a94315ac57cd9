package io.annexsync.transfer.remote.p2p.tls;

/**
 * What a {@link PeerListener} does with a peer it let in. Called on the connection's event loop: it must not block
 * (add handlers and {@link PeerConnection#start()}, or hand {@link PeerConnection#streams()} to a virtual thread).
 */
@FunctionalInterface
public interface PeerHandler {
    /** A pinned peer connected and was sent the acceptance line; the handler owns {@code connection} now. */
    void accepted(PeerConnection connection);
}
