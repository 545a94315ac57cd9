package io.annexsync.transfer.remote.p2p.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Holds back what arrives on a new connection until its owner has added its handlers and calls {@link #open}: then
 * passes on what it held, in order (an end of the connection last), and leaves the pipeline. Used on the event loop
 * only.
 */
final class Gate extends ChannelInboundHandlerAdapter {
    static final String NAME = "annex-sync-gate";

    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private boolean inactive;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        held.add(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // held back with the reads; open() says complete once it has passed them on
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
    }

    /** Passes on what was held and removes the gate; then asks for more to read. Call on the event loop. */
    void open(ChannelHandlerContext ctx) {
        boolean any = !held.isEmpty();
        while (!held.isEmpty()) {
            ctx.fireChannelRead(held.poll());
        }
        if (any) {
            ctx.fireChannelReadComplete();
        }
        if (inactive) {
            ctx.fireChannelInactive();
        }
        ctx.pipeline().remove(this);
        if (!inactive) {
            ctx.read();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.poll());
        }
    }
}
