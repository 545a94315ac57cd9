package io.annexsync.transfer.remote.p2p.protocol;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One side's blocking view of a P2P protocol connection: messages in and out, and the raw body after each
 * {@code DATA} streamed to and from streams (never held whole). {@link StreamConnection} is one over any byte pipe,
 * {@link ChannelConnection} one over a Netty channel. Not thread-safe: one thread talks at a time (the protocol is
 * one request at a time); whoever opened it closes it.
 */
public interface P2PConnection extends Closeable {
    /**
     * The next message. After a {@link P2PMessage.Data} the caller reads its body with {@link #receiveBody} before
     * asking for the next message.
     *
     * @throws java.io.EOFException when the other side closed the connection
     * @throws P2PProtocolException when it broke the framing (an over-long line)
     */
    P2PMessage receive() throws IOException;

    /**
     * Copies the body of the {@code DATA} just received to {@code sink}, chunk by chunk as it arrives.
     *
     * @return the bytes copied: all that were announced
     * @throws java.io.EOFException when the connection ends inside the body (what arrived is in {@code sink})
     */
    default long receiveBody(OutputStream sink) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        long copied = 0;
        int n;
        while ((n = readBody(chunk, 0, chunk.length)) >= 0) {
            sink.write(chunk, 0, n);
            copied += n;
        }
        return copied;
    }

    /**
     * Reads up to {@code length} bytes of the body of the {@code DATA} just received, blocking until some arrive.
     *
     * @return how many were read, or -1 when the whole body has been read
     * @throws java.io.EOFException when the connection ends inside the body
     */
    int readBody(byte[] into, int offset, int length) throws IOException;

    /** Sends one message line, at once. */
    void send(P2PMessage message) throws IOException;

    /**
     * Sends {@code DATA length} and exactly {@code length} bytes read from {@code source}.
     *
     * @return true when {@code source} gave them all; false when it ended early (the rest was sent as zeros, so the
     *     framing holds: the caller follows with {@code INVALID})
     */
    boolean sendData(InputStream source, long length) throws IOException;

    /** Whether the connection may still carry messages (false once the other side is known to be gone). */
    default boolean isOpen() {
        return true;
    }

    /** A name for logs: the peer's address or the command at the other end. */
    String peer();
}
