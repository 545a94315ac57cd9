package io.annexsync.transfer.remote.p2p.tls;

import io.annexsync.gitsync.Uuid;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mutual-TLS listener of this repository: TLS 1.3 only, a client certificate required and let in only if its
 * device id is pinned. A peer let in is sent {@code AUTH-SUCCESS <our uuid>\n} and handed to the {@link PeerHandler};
 * a refused one gets a TLS alert, the connection closes and one log line names its address and id. Event loops are
 * named platform threads ({@code annex-sync-peer-listen-*}) owned by the listener; {@link #close()} stops them.
 * Thread-safe.
 */
public final class PeerListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerListener.class);

    /**
     * What a listener needs.
     *
     * @param bind the address to listen on (port 0 for any free port)
     * @param identity this device's identity
     * @param uuid this repository's uuid, sent in the acceptance line
     * @param pinned the device ids let in, asked for at each handshake (for example {@link PeerPins#pinnedIds})
     * @param handler what to do with a peer let in
     * @param handshakeTimeout how long a connection may take to finish its TLS handshake
     * @param threads event loop threads (1 to 16)
     */
    public record Settings(InetSocketAddress bind, DeviceIdentity identity, Uuid uuid,
            Supplier<Set<DeviceId>> pinned, PeerHandler handler, Duration handshakeTimeout, int threads) {
        public Settings {
            Objects.requireNonNull(bind, "bind");
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(uuid, "uuid");
            Objects.requireNonNull(pinned, "pinned");
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
            if (threads < 1 || threads > 16) {
                throw new IllegalArgumentException("threads " + threads + " is not between 1 and 16");
            }
        }

        /** Settings with a 10 s handshake timeout and 2 event loop threads. */
        public Settings(InetSocketAddress bind, DeviceIdentity identity, Uuid uuid, Supplier<Set<DeviceId>> pinned,
                PeerHandler handler) {
            this(bind, identity, uuid, pinned, handler, Duration.ofSeconds(10), 2);
        }
    }

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel server;

    private PeerListener(EventLoopGroup boss, EventLoopGroup workers, Channel server) {
        this.boss = boss;
        this.workers = workers;
        this.server = server;
    }

    /**
     * Starts listening.
     *
     * @throws IOException when the address cannot be bound (in use, not ours), naming it
     */
    public static PeerListener start(Settings s) throws IOException {
        PinningTrustManager trust = new PinningTrustManager(s.pinned(), s.identity().id());
        SslContext tls = TlsContexts.server(s.identity(), trust);
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("annex-sync-peer-accept", true), NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(s.threads(),
                new DefaultThreadFactory("annex-sync-peer-listen", true), NioIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, TlsContexts.WATER_MARK)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            SslHandler ssl = tls.newHandler(c.alloc());
                            ssl.setHandshakeTimeoutMillis(s.handshakeTimeout().toMillis());
                            c.pipeline().addLast("tls", ssl).addLast("admission", new Admission(s))
                                    .addLast(Gate.NAME, new Gate());
                        }
                    })
                    .bind(s.bind()).syncUninterruptibly().channel();
            LOG.info("listening for peers on {} as device {}", ch.localAddress(), s.identity().id());
            return new PeerListener(boss, workers, ch);
        } catch (RuntimeException e) {
            shutdown(boss, workers);
            throw new IOException("cannot listen for peers on " + s.bind() + ": " + e.getMessage(), e);
        }
    }

    /** The address listened on (with the port chosen when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Stops listening and closes every connection; waits for the event loops to stop (a few seconds at most). */
    @Override
    public void close() {
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdown(boss, workers);
    }

    private static void shutdown(EventLoopGroup boss, EventLoopGroup workers) {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Lets in a peer whose handshake succeeded (so its certificate is pinned): the acceptance line, the handler. */
    private static final class Admission extends ChannelInboundHandlerAdapter {
        private final Settings settings;

        Admission(Settings settings) {
            this.settings = settings;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.fireChannelActive();
            ctx.read(); // auto-read is off: the TLS handler reads on by itself once the first read was asked for
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (!(evt instanceof SslHandshakeCompletionEvent done)) {
                ctx.fireUserEventTriggered(evt);
                return;
            }
            if (!done.isSuccess()) {
                LOG.info("refused a connection from {}: {}", ctx.channel().remoteAddress(), describe(done.cause()));
                ctx.close();
                return;
            }
            Optional<DeviceId> peer = peerId(ctx);
            if (peer.isEmpty()) {
                LOG.info("refused a connection from {}: no certificate", ctx.channel().remoteAddress());
                ctx.close();
                return;
            }
            ctx.writeAndFlush(Unpooled.wrappedBuffer(Acceptance.line(settings.uuid())));
            ctx.pipeline().remove(this);
            LOG.debug("let in device {} from {}", peer.get(), ctx.channel().remoteAddress());
            try {
                settings.handler().accepted(new PeerConnection(ctx.channel(), peer.get(), Optional.empty()));
            } catch (RuntimeException e) {
                LOG.warn("the handler of peer {} failed: {}", peer.get().shortForm(), e.toString(), e);
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // the handshake's failure is reported by its completion event; anything else before admission ends it
            LOG.debug("connection from {} failed before admission: {}", ctx.channel().remoteAddress(),
                    cause.toString());
            ctx.close();
        }

        private static Optional<DeviceId> peerId(ChannelHandlerContext ctx) {
            try {
                Certificate[] chain = ctx.pipeline().get(SslHandler.class).engine().getSession()
                        .getPeerCertificates();
                return chain.length == 1 ? Optional.of(DeviceId.ofCertificate(chain[0].getEncoded()))
                        : Optional.empty();
            } catch (SSLPeerUnverifiedException | java.security.cert.CertificateEncodingException e) {
                return Optional.empty();
            }
        }
    }

    /** The innermost message of a handshake failure (our trust manager's reason, when it refused). */
    static String describe(Throwable t) {
        Throwable inner = t;
        while (inner.getCause() != null && inner.getCause() != inner) {
            inner = inner.getCause();
        }
        return inner.getMessage() == null ? inner.toString() : inner.getMessage();
    }
}
