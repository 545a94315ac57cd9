package io.annexsync.transfer.remote.p2p.protocol;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a P2P server pipeline: starts one {@link P2PServerSession} per channel on a virtual thread and
 * passes it what the decoder gives. On the event loop it only enqueues; a framing error (a line over 32 KiB) is
 * logged naming the peer and the channel closed. One per channel.
 */
final class P2PServerHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(P2PServerHandler.class);

    private final P2PServer.Context context;
    private final Admission admission;
    private final Executor sessions;
    private ChannelConnection connection;

    P2PServerHandler(P2PServer.Context context, Admission admission, Executor sessions) {
        this.context = context;
        this.admission = admission;
        this.sessions = sessions;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // added to a channel that is active already (after a TLS listener's acceptance): start at once
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (connection == null) {
            start(ctx);
        }
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        connection = new ChannelConnection(ctx.channel(), context.idleTimeout());
        P2PServerSession session = new P2PServerSession(context, admission, connection);
        try {
            sessions.execute(session::run);
        } catch (RejectedExecutionException e) {
            LOG.debug("P2P server closed; refusing {}", ctx.channel().remoteAddress());
            ctx.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        connection.offer(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connection != null) {
            connection.end(null);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable shown = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (shown instanceof P2PProtocolException) {
            LOG.warn("P2P peer {} broke the protocol ({}); disconnected", ctx.channel().remoteAddress(),
                    shown.getMessage());
            ctx.writeAndFlush(new P2PMessage.Error("protocol error: " + shown.getMessage()));
        } else {
            LOG.warn("P2P connection to {} failed: {}", ctx.channel().remoteAddress(), shown.toString());
        }
        if (connection != null) {
            connection.end(shown);
        }
        ctx.close();
    }
}
