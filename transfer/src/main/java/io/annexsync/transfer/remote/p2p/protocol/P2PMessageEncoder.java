package io.annexsync.transfer.remote.p2p.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes each {@link P2PMessage} as its line and a newline ({@code Data(5)} becomes {@code "DATA 5\n"}); the body
 * that follows a DATA is written as plain {@link ByteBuf}s, which pass this encoder untouched. Stateless, shareable.
 */
@ChannelHandler.Sharable
public final class P2PMessageEncoder extends MessageToByteEncoder<P2PMessage> {
    public P2PMessageEncoder() {
        super(P2PMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, P2PMessage msg, ByteBuf out) {
        out.writeBytes(StreamConnection.lineBytes(msg));
    }
}
