package io.annexsync.transfer.remote.p2p.tls;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A blocking view of a peer connection, for a blocking client on a virtual thread: one thread reads {@code in}, one
 * writes {@code out}. {@code out} buffers up to 64 KiB and sends on {@code flush()} (or when full), waiting while the
 * connection's outbound buffer is full; {@code in} ends when the peer closes or half-closes. Closing either stream
 * closes the connection.
 *
 * @param in what the peer sends
 * @param out what goes to the peer
 */
public record PeerStreams(InputStream in, OutputStream out) {}
