package io.annexsync.transfer.remote.p2p.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The one framing parser of the P2P protocol, fed whatever bytes arrived and giving back one {@link Frame} at a time:
 * a line (at most {@link P2PCodec#MAX_LINE} bytes, a trailing {@code \r} stripped) parsed into a message, and after
 * {@code DATA n} exactly n raw bytes as {@link Frame.Body} chunks of whatever size arrived (never gathered: a body of
 * any length passes through in the input's own buffers). For example {@code "DATA 5\nhelloVALID\n"} gives
 * {@code Line(Data(5))}, {@code Body("hello", last)}, {@code Line(Valid)}, whether it comes in one piece or byte by
 * byte. Behind both {@link P2PFrameDecoder} (Netty) and {@link StreamConnection} (an InputStream). Not thread-safe:
 * one per connection.
 */
public final class FrameParser {

    /** What {@link #next} found. */
    public sealed interface Frame {
        /** A whole line, parsed. */
        record Line(P2PMessage message) implements Frame {}

        /**
         * Raw bytes of the current DATA body: a view of the input (valid until the input is changed), in order.
         *
         * @param last whether these are the body's final bytes
         */
        record Body(ByteBuffer bytes, boolean last) implements Frame {}
    }

    private final byte[] line = new byte[P2PCodec.MAX_LINE + 1];
    private int lineLength;
    private long bodyRemaining;

    /** Whether the parser is inside a DATA body (a cut connection now loses announced bytes). */
    public boolean inBody() {
        return bodyRemaining > 0;
    }

    /** How many bytes of the current DATA body have not arrived yet. */
    public long bodyRemaining() {
        return bodyRemaining;
    }

    /**
     * The next frame from {@code in}, advancing its position past what was used; null when {@code in} ran out
     * before a frame was complete (the partial line is kept: call again with more).
     *
     * @throws P2PProtocolException on a line longer than {@link P2PCodec#MAX_LINE}
     */
    public Frame next(ByteBuffer in) throws P2PProtocolException {
        Objects.requireNonNull(in, "in");
        if (bodyRemaining > 0) {
            if (!in.hasRemaining()) {
                return null;
            }
            int n = (int) Math.min(bodyRemaining, in.remaining());
            ByteBuffer chunk = in.slice(in.position(), n);
            in.position(in.position() + n);
            bodyRemaining -= n;
            return new Frame.Body(chunk, bodyRemaining == 0);
        }
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                return new Frame.Line(lineDone());
            }
            if (lineLength == line.length) {
                lineLength = 0;
                throw new P2PProtocolException("line longer than " + P2PCodec.MAX_LINE + " bytes");
            }
            line[lineLength++] = b;
        }
        return null;
    }

    private P2PMessage lineDone() throws P2PProtocolException {
        int length = lineLength;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        lineLength = 0;
        if (length > P2PCodec.MAX_LINE) {
            throw new P2PProtocolException("line longer than " + P2PCodec.MAX_LINE + " bytes");
        }
        P2PMessage message = P2PCodec.parse(new String(line, 0, length, StandardCharsets.UTF_8));
        if (message instanceof P2PMessage.Data data) {
            bodyRemaining = data.length();
        }
        return message;
    }
}
