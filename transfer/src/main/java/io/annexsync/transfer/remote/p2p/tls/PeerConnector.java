package io.annexsync.transfer.remote.p2p.tls;

import io.annexsync.gitsync.Uuid;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Connects to pinned peers: TCP, TLS 1.3 presenting this device's certificate and trusting only the expected device
 * id, then waits for the listener's acceptance line ({@code AUTH-SUCCESS <uuid>}), all within one timeout. Failures
 * are {@link PeerConnectException}s whose {@link PeerConnectException.Reason} and message tell apart: nothing listens
 * there, no answer in time, the peer presented another certificate than the pinned one, and the peer refused us. Owns
 * its event loop threads ({@code annex-sync-peer-connect-*}, platform threads); {@link #close()} stops them and every
 * connection it made. Thread-safe.
 */
public final class PeerConnector implements AutoCloseable {
    /** How long a connection may take unless told otherwise: TCP, TLS and the acceptance line together. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final DeviceIdentity identity;
    private final EventLoopGroup group;

    /** A connector for this device, with {@code threads} event loop threads (1 to 16). */
    public PeerConnector(DeviceIdentity identity, int threads) {
        this.identity = Objects.requireNonNull(identity, "identity");
        if (threads < 1 || threads > 16) {
            throw new IllegalArgumentException("threads " + threads + " is not between 1 and 16");
        }
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("annex-sync-peer-connect", true),
                NioIoHandler.newFactory());
    }

    /**
     * Connects to the peer at {@code address} that must present device id {@code expected}; blocks until it has let us
     * in (so call it from a virtual thread or the CLI, never from an event loop).
     *
     * @throws PeerConnectException saying why no connection was made
     * @throws InterruptedIOException when interrupted (the interrupt flag is set again)
     */
    public PeerConnection connect(PeerAddress address, DeviceId expected, Duration timeout)
            throws PeerConnectException, InterruptedIOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(expected, "expected");
        PinningTrustManager trust = new PinningTrustManager(() -> Set.of(expected), identity.id());
        SslContext tls;
        try {
            tls = TlsContexts.client(identity, trust);
        } catch (SSLException e) {
            throw new PeerConnectException(PeerConnectException.Reason.PROTOCOL, "cannot set up TLS: "
                    + e.getMessage(), e);
        }
        InetSocketAddress resolved = resolve(address); // here, not on the event loop: name lookups block
        AcceptanceReader reader = new AcceptanceReader();
        long millis = Math.max(1, timeout.toMillis());
        ChannelFuture connecting = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, TlsContexts.WATER_MARK)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, millis))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        SslHandler ssl = tls.newHandler(c.alloc(), address.host(), address.port());
                        ssl.setHandshakeTimeoutMillis(millis);
                        c.pipeline().addLast("tls", ssl).addLast("acceptance", reader).addLast(Gate.NAME, new Gate());
                    }
                })
                .connect(resolved);
        Channel ch = connecting.channel();
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                reader.accepted.completeExceptionally(new AcceptanceReader.Failure("connect failed", f.cause(),
                        false));
            }
        });
        var deadline = ch.eventLoop().schedule(() -> {
            if (reader.accepted.completeExceptionally(new TimeoutException())) {
                ch.close();
            }
        }, millis, TimeUnit.MILLISECONDS);
        reader.accepted.whenComplete((uuid, failure) -> deadline.cancel(false));
        Uuid uuid = await(reader.accepted, millis, ch, address, expected, trust, reader);
        return new PeerConnection(ch, expected, Optional.of(uuid));
    }

    private static InetSocketAddress resolve(PeerAddress address) throws PeerConnectException {
        try {
            return new InetSocketAddress(InetAddress.getByName(address.host()), address.port());
        } catch (UnknownHostException e) {
            throw new PeerConnectException(PeerConnectException.Reason.UNREACHABLE, "cannot connect to " + address
                    + ": unknown host " + address.host(), e);
        }
    }

    private static Uuid await(CompletableFuture<Uuid> accepted, long millis, Channel ch, PeerAddress address,
            DeviceId expected, PinningTrustManager trust, AcceptanceReader reader)
            throws PeerConnectException, InterruptedIOException {
        try {
            return accepted.get(millis + 2000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            ch.close();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to " + address);
        } catch (TimeoutException e) {
            ch.close();
            throw timeout(address, millis, reader, e);
        } catch (ExecutionException e) {
            ch.close();
            throw classify(e.getCause(), address, expected, trust, reader, millis);
        }
    }

    private static PeerConnectException classify(Throwable failure, PeerAddress address, DeviceId expected,
            PinningTrustManager trust, AcceptanceReader reader, long millis) {
        Optional<DeviceId> wrong = trust.lastRefused();
        if (wrong.isPresent()) {
            return new PeerConnectException(PeerConnectException.Reason.WRONG_CERTIFICATE, address
                    + " presented device id " + wrong.get() + ", not the pinned " + expected
                    + ": it is another device (or someone in between); check the address and the id", failure);
        }
        if (failure instanceof TimeoutException) {
            return timeout(address, millis, reader, failure);
        }
        Throwable cause = failure.getCause() == null ? failure : failure.getCause();
        if (cause instanceof ConnectTimeoutException || cause instanceof SslHandshakeTimeoutException) {
            return timeout(address, millis, reader, cause);
        }
        if (cause instanceof ConnectException || cause instanceof UnknownHostException
                || cause instanceof NoRouteToHostException || cause instanceof UnresolvedAddressException) {
            return new PeerConnectException(PeerConnectException.Reason.UNREACHABLE, "cannot connect to " + address
                    + ": " + (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException
                    ? "unknown host" : PeerListener.describe(cause))
                    + " (is annex-sync running there and listening on that port?)", cause);
        }
        boolean alert = refusalAlert(failure);
        if (alert || (failure instanceof AcceptanceReader.Failure f && f.afterHandshake && f.getCause() == null
                && f.getMessage().equals("closed the connection"))) {
            return new PeerConnectException(PeerConnectException.Reason.REFUSED_BY_PEER, address
                    + " refused this device: our device id is not pinned there (run 'annex-sync peer add' on that "
                    + "device with this device's id, 'annex-sync peer id')", cause);
        }
        return new PeerConnectException(PeerConnectException.Reason.PROTOCOL, address + " is not an annex-sync peer "
                + "that lets us in: " + failure.getMessage()
                + (failure.getCause() != null ? " (" + PeerListener.describe(failure.getCause()) + ")" : ""), cause);
    }

    /** Whether the peer's TLS stack sent the alert a refused certificate gets. */
    private static boolean refusalAlert(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof SSLException && (m.contains("certificate_unknown") || m.contains("bad_certificate")
                    || m.contains("certificate_required") || m.contains("access_denied"))) {
                return true;
            }
        }
        return false;
    }

    private static PeerConnectException timeout(PeerAddress address, long millis, AcceptanceReader reader,
            Throwable cause) {
        String stage = reader.handshaken() ? "did not let us in (no acceptance line)" : "did not answer";
        return new PeerConnectException(PeerConnectException.Reason.TIMEOUT, address + " " + stage + " within "
                + millis + " ms", cause);
    }

    /** Stops the event loops, closing every connection made (waits a few seconds at most). */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
