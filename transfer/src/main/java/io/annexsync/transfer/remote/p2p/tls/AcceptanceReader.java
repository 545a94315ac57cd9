package io.annexsync.transfer.remote.p2p.tls;

import io.annexsync.gitsync.Uuid;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The connecting side's wait for the listener's acceptance line: after the TLS handshake it reads one line of at
 * most {@link Acceptance#MAX_LINE} bytes, completes {@link #accepted} with the uuid it names and leaves the pipeline
 * (bytes after the line go on to the next handler). Fails the future when the connection closes or fails first.
 */
final class AcceptanceReader extends ByteToMessageDecoder {
    /** Why the wait failed, for the connector to word its error. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean afterHandshake;

        Failure(String message, Throwable cause, boolean afterHandshake) {
            super(message, cause);
            this.afterHandshake = afterHandshake;
        }
    }

    final CompletableFuture<Uuid> accepted = new CompletableFuture<>();
    private volatile boolean handshaken;

    boolean handshaken() {
        return handshaken;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        ctx.read(); // auto-read is off: the TLS handler reads on by itself once the first read was asked for
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                handshaken = true;
                ctx.read();
            } else {
                fail(ctx, new Failure("TLS handshake failed", done.cause(), false));
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (accepted.isDone()) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int end = in.indexOf(in.readerIndex(), in.readerIndex() + Math.min(in.readableBytes(), Acceptance.MAX_LINE),
                (byte) '\n');
        if (end < 0) {
            if (in.readableBytes() >= Acceptance.MAX_LINE) {
                fail(ctx, new Failure("answered a line longer than " + Acceptance.MAX_LINE + " bytes", null, true));
            }
            return;
        }
        String line = in.readCharSequence(end - in.readerIndex(), StandardCharsets.UTF_8).toString();
        in.skipBytes(1);
        Optional<Uuid> uuid = Acceptance.parse(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        if (uuid.isEmpty()) {
            String shown = line.length() > 80 ? line.substring(0, 80) + "..." : line;
            fail(ctx, new Failure("answered '" + shown + "' instead of AUTH-SUCCESS", null, true));
            return;
        }
        accepted.complete(uuid.get());
        ctx.pipeline().remove(this);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (!accepted.isDone() && handshaken) {
            ctx.read();
        }
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        fail(ctx, new Failure("closed the connection", null, handshaken));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, new Failure(PeerListener.describe(cause), cause, handshaken));
    }

    private void fail(ChannelHandlerContext ctx, Failure f) {
        if (accepted.completeExceptionally(f)) {
            ctx.close();
        }
    }
}
