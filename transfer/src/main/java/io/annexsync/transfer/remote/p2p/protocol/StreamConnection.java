package io.annexsync.transfer.remote.p2p.protocol;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A P2P connection over an InputStream and an OutputStream: the stdio of {@code git-annex-shell p2pstdio}, an ssh
 * exec channel, a socket. Reads through {@link FrameParser} in 64 KiB buffers. Not thread-safe; closing it closes
 * both streams.
 */
public final class StreamConnection implements P2PConnection {
    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final OutputStream out;
    private final String peer;
    private final FrameParser parser = new FrameParser();
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER).flip();

    /** A connection reading {@code in} and writing {@code out}; {@code peer} names the other side in logs. */
    public StreamConnection(InputStream in, OutputStream out, String peer) {
        this.in = Objects.requireNonNull(in, "in");
        this.out = new BufferedOutputStream(Objects.requireNonNull(out, "out"), BUFFER);
        this.peer = Objects.requireNonNull(peer, "peer");
    }

    @Override
    public P2PMessage receive() throws IOException {
        if (parser.inBody()) {
            throw new IllegalStateException("the body of the last DATA was not read");
        }
        while (true) {
            FrameParser.Frame frame = parser.next(buffer);
            if (frame instanceof FrameParser.Frame.Line line) {
                return line.message();
            }
            if (!fill()) {
                throw new EOFException(peer + " closed the connection");
            }
        }
    }

    @Override
    public int readBody(byte[] into, int offset, int length) throws IOException {
        if (!parser.inBody()) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        while (!buffer.hasRemaining()) {
            if (!fill()) {
                throw new EOFException(peer + " closed the connection with " + parser.bodyRemaining()
                        + " bytes of DATA still to come");
            }
        }
        ByteBuffer view = buffer.slice(buffer.position(), Math.min(length, buffer.remaining()));
        FrameParser.Frame.Body body = (FrameParser.Frame.Body) parser.next(view);
        int n = body.bytes().remaining();
        body.bytes().get(into, offset, n);
        buffer.position(buffer.position() + n);
        return n;
    }

    /** Reads more input after what is left in the buffer; false at the end of the stream. */
    private boolean fill() throws IOException {
        buffer.compact();
        try {
            int n = in.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            if (n < 0) {
                return false;
            }
            buffer.position(buffer.position() + n);
            return true;
        } finally {
            buffer.flip();
        }
    }

    @Override
    public void send(P2PMessage message) throws IOException {
        out.write(lineBytes(message));
        out.flush();
    }

    @Override
    public boolean sendData(InputStream source, long length) throws IOException {
        out.write(lineBytes(new P2PMessage.Data(length)));
        boolean complete = copyExactly(source, out, length);
        out.flush();
        return complete;
    }

    /** Copies {@code length} bytes, padding with zeros when {@code source} ends early; false when it did. */
    static boolean copyExactly(InputStream source, OutputStream sink, long length) throws IOException {
        byte[] chunk = new byte[BUFFER];
        long left = length;
        boolean complete = true;
        while (left > 0) {
            int want = (int) Math.min(chunk.length, left);
            int n = complete ? source.read(chunk, 0, want) : -1;
            if (n < 0) {
                complete = false;
                Arrays.fill(chunk, (byte) 0);
                n = want;
            }
            sink.write(chunk, 0, n);
            left -= n;
        }
        return complete;
    }

    /** The line of {@code message} with its newline, refusing one longer than the limit. */
    static byte[] lineBytes(P2PMessage message) {
        byte[] text = P2PCodec.format(message).getBytes(StandardCharsets.UTF_8);
        if (text.length > P2PCodec.MAX_LINE) {
            throw new IllegalArgumentException("message longer than " + P2PCodec.MAX_LINE + " bytes");
        }
        byte[] line = Arrays.copyOf(text, text.length + 1);
        line[text.length] = '\n';
        return line;
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public void close() throws IOException {
        try (InputStream i = in; OutputStream o = out) {
            // both closed, the first failure reported
        }
    }
}
