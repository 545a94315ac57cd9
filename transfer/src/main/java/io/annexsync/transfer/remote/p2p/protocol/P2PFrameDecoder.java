package io.annexsync.transfer.remote.p2p.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The Netty adapter of {@link FrameParser}: gives a {@link P2PMessage} for each line and, after a {@code DATA n}, the n
 * body bytes as {@link ByteBuf} slices of what arrived (retained; whoever reads them releases them). For
 * {@code "DATA 5\nhello"} arriving as {@code "DATA 5\nhel"} and {@code "lo"}: {@code Data(5)}, a 3-byte buffer, a
 * 2-byte buffer. A line over {@link P2PCodec#MAX_LINE} bytes fails with a {@link P2PProtocolException} (wrapped in
 * Netty's {@code DecoderException}). One per channel.
 */
public final class P2PFrameDecoder extends ByteToMessageDecoder {
    private final FrameParser parser = new FrameParser();

    /** Whether the connection is inside a DATA body now. */
    public boolean inBody() {
        return parser.inBody();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        while (in.isReadable()) {
            ByteBuffer nio = in.nioBuffer(in.readerIndex(), in.readableBytes());
            int start = nio.position();
            FrameParser.Frame frame = parser.next(nio);
            int used = nio.position() - start;
            switch (frame) {
                case null -> {
                    in.skipBytes(used);
                    return;
                }
                case FrameParser.Frame.Line line -> {
                    in.skipBytes(used);
                    out.add(line.message());
                }
                case FrameParser.Frame.Body body -> out.add(in.readRetainedSlice(used));
            }
        }
    }
}
