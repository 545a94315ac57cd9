package io.annexsync.transfer.remote.p2p.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.annexsync.gitsync.Uuid;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the stream view does when the other side stops reading, and a TLS server that never lets us in. */
class PeerBackPressureIT {
    @TempDir
    Path tmp;

    @Test
    void aWriterWaitsWhileThePeerDoesNotReadAndGoesOnWhenItDoes() throws Exception {
        DeviceIdentity a = DeviceIdentity.loadOrCreate(tmp.resolve("a"));
        DeviceIdentity b = DeviceIdentity.loadOrCreate(tmp.resolve("b"));
        CompletableFuture<PeerStreams> server = new CompletableFuture<>();
        try (PeerListener listener = PeerListener.start(new PeerListener.Settings(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), a, Uuid.random(), () -> Set.of(b.id()),
                c -> server.complete(c.streams())));
                PeerConnector connector = new PeerConnector(b, 1);
                PeerConnection c = connector.connect(new PeerAddress("127.0.0.1", listener.address().getPort()),
                        a.id(), Duration.ofSeconds(10))) {
            PeerStreams s = c.streams();
            AtomicLong written = new AtomicLong();
            long total = 256L << 20;
            Thread writer = Thread.ofVirtual().start(() -> {
                byte[] chunk = new byte[1 << 16];
                try {
                    while (written.get() < total) {
                        s.out().write(chunk);
                        written.addAndGet(chunk.length);
                    }
                    s.out().flush();
                } catch (IOException e) {
                    // the test failed elsewhere
                }
            });
            // the server reads nothing: the writer must stall (its buffers, the server's read-ahead, the sockets)
            long stalled = stalledAt(written);
            assertThat(stalled).as("bytes written while the peer reads nothing").isLessThan(64L << 20);
            InputStream in = server.get(10, TimeUnit.SECONDS).in();
            byte[] buf = new byte[1 << 16];
            long read = 0;
            while (read < total) {
                int n = in.read(buf);
                assertThat(n).isPositive();
                read += n;
            }
            writer.join(Duration.ofSeconds(30));
            assertThat(written.get()).isEqualTo(total);
            assertThat(read).isEqualTo(total);
        }
    }

    /** Waits until {@code counter} stops moving for half a second; its value then. */
    private static long stalledAt(AtomicLong counter) {
        long[] last = {-1};
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = counter.get();
            boolean still = now == last[0] && now > 0;
            last[0] = now;
            return still;
        });
        return last[0];
    }

    @Test
    void aTlsServerThatNeverSendsTheAcceptanceLineTimesOut() throws Exception {
        DeviceIdentity a = DeviceIdentity.loadOrCreate(tmp.resolve("a"));
        DeviceIdentity b = DeviceIdentity.loadOrCreate(tmp.resolve("b"));
        SslContext tls = TlsContexts.server(a, new PinningTrustManager(() -> Set.of(b.id()), a.id()));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (PeerConnector connector = new PeerConnector(b, 1)) {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc())); // handshakes, then says nothing
                        }
                    }).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            // a first connection warms up the JVM's TLS (seconds on a loaded machine), so the timeout is the line's
            assertThatThrownBy(() -> connector.connect(new PeerAddress("127.0.0.1", port), a.id(),
                    Duration.ofSeconds(10))).isInstanceOf(PeerConnectException.class);
            assertThatThrownBy(() -> connector.connect(new PeerAddress("127.0.0.1", port), a.id(),
                    Duration.ofSeconds(3)))
                    .isInstanceOfSatisfying(PeerConnectException.class,
                            e -> assertThat(e.reason()).isEqualTo(PeerConnectException.Reason.TIMEOUT))
                    .hasMessageContaining("did not let us in (no acceptance line) within 3000 ms");
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
