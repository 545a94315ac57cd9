package io.annexsync.transfer.remote.p2p.tls;

import java.io.IOException;
import java.util.Objects;

/** A connection to a peer could not be made; {@link #reason()} says why, the message says it for people. */
public final class PeerConnectException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why a connection failed. */
    public enum Reason {
        /** Nothing listens there (TCP connection refused, host unknown, network unreachable). */
        UNREACHABLE,
        /** No answer in time: TCP connect, the TLS handshake or the acceptance line. */
        TIMEOUT,
        /** The peer presented a certificate other than the pinned one. */
        WRONG_CERTIFICATE,
        /** The peer does not let this device in (our id is not pinned there). */
        REFUSED_BY_PEER,
        /** The peer answered something other than the acceptance line, or the TLS handshake failed otherwise. */
        PROTOCOL
    }

    private final Reason reason;

    PeerConnectException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the connection failed. */
    public Reason reason() {
        return reason;
    }
}
