package io.annexsync.transfer.remote.p2p.tls;

import io.annexsync.gitsync.Uuid;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An authenticated connection to a pinned peer, handed over by {@link PeerListener} or {@link PeerConnector} to
 * whatever speaks over it. Nothing reads from the socket until the owner is ready: either add handlers to {@link
 * #pipeline()} (they come after the TLS handler; the channel's auto-read is off, so ask for reads with {@code
 * ctx.read()} and honour {@code channelWritabilityChanged}) and call {@link #start()}, or call {@link #streams()} for a
 * blocking view. Bytes that arrived before are held and passed on first. Thread-safe; whoever was handed the connection
 * closes it.
 */
public final class PeerConnection implements AutoCloseable {
    private final Channel channel;
    private final DeviceId peer;
    private final Optional<Uuid> peerUuid;

    PeerConnection(Channel channel, DeviceId peer, Optional<Uuid> peerUuid) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.peerUuid = Objects.requireNonNull(peerUuid, "peerUuid");
    }

    /** The peer's device id (its certificate, pinned). */
    public DeviceId peer() {
        return peer;
    }

    /** The peer's repository uuid from its acceptance line: known on the connecting side, empty on the listener. */
    public Optional<Uuid> peerUuid() {
        return peerUuid;
    }

    /** The peer's socket address. */
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    /** The Netty channel, for handlers that need it. */
    public Channel channel() {
        return channel;
    }

    /** The pipeline to add the protocol's handlers to (at its end), before {@link #start()}. */
    public ChannelPipeline pipeline() {
        return channel.pipeline();
    }

    /** Lets bytes flow to the handlers added: first what was held back, then a read is asked for. */
    public void start() {
        onLoop(() -> {
            ChannelHandlerContext ctx = channel.pipeline().context(Gate.NAME);
            if (ctx != null) {
                ((Gate) ctx.handler()).open(ctx);
            }
        });
    }

    /** Ends the pipeline with a blocking stream view and starts the connection; call once, instead of start. */
    public PeerStreams streams() {
        StreamBridge bridge = new StreamBridge(channel);
        onLoop(() -> {
            channel.pipeline().addLast(StreamBridge.NAME, bridge);
            ChannelHandlerContext ctx = channel.pipeline().context(Gate.NAME);
            if (ctx != null) {
                ((Gate) ctx.handler()).open(ctx);
            } else {
                channel.read();
            }
        });
        return new PeerStreams(bridge.input(), bridge.output());
    }

    /**
     * Says that nothing more will be sent (TLS {@code close_notify}), while still reading what the peer sends: its
     * stream view ends, and it closes the connection when it is done.
     */
    public void shutdownOutput() throws IOException {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            throw new IOException("the connection to the peer is closed");
        }
        await(ssl.closeOutbound());
    }

    /** Whether the connection is still open. */
    public boolean isOpen() {
        return channel.isActive();
    }

    /** A future completed when the connection has closed. */
    public CompletableFuture<Void> closed() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        channel.closeFuture().addListener(done -> f.complete(null));
        return f;
    }

    /** Closes the connection: waits until it is closed (at most 5 seconds), except on its own event loop. */
    @Override
    public void close() {
        if (channel.eventLoop().inEventLoop()) {
            channel.close();
        } else {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "peer " + peer.shortForm() + " at " + channel.remoteAddress();
    }

    private void onLoop(Runnable r) {
        if (channel.eventLoop().inEventLoop()) {
            r.run();
        } else {
            channel.eventLoop().execute(r);
        }
    }

    private static void await(io.netty.util.concurrent.Future<?> f) throws IOException {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("timed out closing the connection's output");
        }
    }
}
