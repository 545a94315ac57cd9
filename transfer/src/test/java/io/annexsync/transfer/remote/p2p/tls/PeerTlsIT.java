package io.annexsync.transfer.remote.p2p.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.annexsync.gitsync.Uuid;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Listener and connector on real loopback TLS: who gets in, how refusals read, and the stream view. */
class PeerTlsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** A device: identity, pins, uuid, and the connections its listener let in. */
    private final class Device {
        final DeviceIdentity identity;
        final PeerPins pins;
        final Uuid uuid = Uuid.random();
        final List<PeerConnection> accepted = new CopyOnWriteArrayList<>();
        PeerListener listener;
        PeerConnector connector;

        Device(String name) throws IOException {
            Path git = tmp.resolve(name);
            identity = DeviceIdentity.loadOrCreate(git);
            pins = new PeerPins(git);
        }

        /** Listens on a free loopback port, echoing what each peer sends. */
        Device listen() throws IOException {
            listener = PeerListener.start(new PeerListener.Settings(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), identity, uuid, pins::pinnedIds,
                    this::echo));
            open.add(listener);
            return this;
        }

        PeerAddress address() {
            return new PeerAddress("127.0.0.1", listener.address().getPort());
        }

        void pin(Device other) throws IOException {
            pins.save(new PeerPin("peer-" + other.uuid.value().substring(0, 8), new PeerAddress("127.0.0.1", 1),
                    other.identity.id(), Optional.empty()));
        }

        PeerConnection connect(Device to, DeviceId expected, Duration timeout) throws IOException {
            return connect(to.address(), expected, timeout);
        }

        PeerConnection connect(PeerAddress to, DeviceId expected, Duration timeout) throws IOException {
            if (connector == null) {
                connector = new PeerConnector(identity, 1);
                open.add(connector);
            }
            PeerConnection c = connector.connect(to, expected, timeout);
            open.add(c);
            return c;
        }

        private void echo(PeerConnection c) {
            accepted.add(c);
            PeerStreams s = c.streams();
            Thread.ofVirtual().name("test-echo").start(() -> {
                byte[] buf = new byte[65536];
                try (InputStream in = s.in(); OutputStream out = s.out()) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // the peer went away
                }
            });
        }
    }

    private static String roundTrip(PeerConnection c, String text) throws IOException {
        PeerStreams s = c.streams();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        s.out().write(bytes);
        s.out().flush();
        byte[] back = new DataInputStream(s.in()).readNBytes(bytes.length);
        return new String(back, StandardCharsets.UTF_8);
    }

    @Test
    void pinnedPeersConnectBothWays() throws Exception {
        Device a = new Device("a").listen();
        Device b = new Device("b").listen();
        a.pin(b);
        b.pin(a);

        PeerConnection ab = b.connect(a, a.identity.id(), TIMEOUT);
        assertThat(ab.peer()).isEqualTo(a.identity.id());
        assertThat(ab.peerUuid()).contains(a.uuid);
        assertThat(roundTrip(ab, "hello from b\n")).isEqualTo("hello from b\n");
        assertThat(a.accepted).singleElement().satisfies(c -> {
            assertThat(c.peer()).isEqualTo(b.identity.id());
            assertThat(c.peerUuid()).isEmpty();
        });

        PeerConnection ba = a.connect(b, b.identity.id(), TIMEOUT);
        assertThat(ba.peerUuid()).contains(b.uuid);
        assertThat(roundTrip(ba, "and from a")).isEqualTo("and from a");
        assertThat(b.accepted).singleElement().extracting(PeerConnection::peer).isEqualTo(a.identity.id());
    }

    @Test
    void aStrangerIsRefusedAndToldSo() throws Exception {
        Logger listenerLog = (Logger) LoggerFactory.getLogger(PeerListener.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Level was = listenerLog.getLevel();
        listenerLog.setLevel(Level.INFO);
        listenerLog.addAppender(log);
        open.add(() -> {
            listenerLog.detachAppender(log);
            listenerLog.setLevel(was);
        });
        Device a = new Device("a").listen();
        Device stranger = new Device("stranger");
        // the stranger knows a's id: only a's pins keep it out
        assertThatThrownBy(() -> stranger.connect(a, a.identity.id(), TIMEOUT))
                .isInstanceOfSatisfying(PeerConnectException.class,
                        e -> assertThat(e.reason()).as(e.getMessage())
                                .isEqualTo(PeerConnectException.Reason.REFUSED_BY_PEER))
                .hasMessageContaining("refused this device").hasMessageContaining("annex-sync peer add");
        assertThat(a.accepted).isEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(List.copyOf(log.list))
                .extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).startsWith("refused a connection from /127.0.0.1:")
                        .contains("device id " + stranger.identity.id() + " is not pinned")));
    }

    @Test
    void aPeerPresentingAnotherCertificateThanPinnedIsRefused() throws Exception {
        Device a = new Device("a");
        Device impostor = new Device("impostor").listen();
        impostor.pin(a); // the impostor would let a in: a must still refuse it
        assertThatThrownBy(() -> a.connect(impostor, a.identity.id().equals(impostor.identity.id()) ? null
                : new Device("real").identity.id(), TIMEOUT))
                .isInstanceOfSatisfying(PeerConnectException.class,
                        e -> assertThat(e.reason()).isEqualTo(PeerConnectException.Reason.WRONG_CERTIFICATE))
                .hasMessageContaining("presented device id " + impostor.identity.id());
        assertThat(impostor.accepted).isEmpty();
    }

    @Test
    void aListenerRefusesItsOwnId() throws Exception {
        Device a = new Device("a").listen();
        a.pin(a);
        // a connecting to itself: its connector refuses a's own id (so would the listener)
        assertThatThrownBy(() -> a.connect(a, a.identity.id(), TIMEOUT))
                .isInstanceOfSatisfying(PeerConnectException.class,
                        e -> assertThat(e.reason()).isEqualTo(PeerConnectException.Reason.WRONG_CERTIFICATE));
        assertThat(a.accepted).isEmpty();
    }

    @Test
    void aSilentServerTimesOut() throws Exception {
        Device a = new Device("a");
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return silent.accept();
                } catch (IOException e) {
                    return null;
                }
            }, r -> Thread.ofVirtual().start(r));
            long start = System.nanoTime();
            assertThatThrownBy(() -> a.connect(new PeerAddress("127.0.0.1", silent.getLocalPort()),
                    new Device("b").identity.id(), Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(PeerConnectException.class,
                            e -> assertThat(e.reason()).isEqualTo(PeerConnectException.Reason.TIMEOUT))
                    .hasMessageContaining("did not answer within 1000 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            Socket s = held.get(5, TimeUnit.SECONDS);
            if (s != null) {
                s.close();
            }
        }
    }

    @Test
    void nothingListeningIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Device a = new Device("a");
        assertThatThrownBy(() -> a.connect(new PeerAddress("127.0.0.1", port), new Device("b").identity.id(),
                TIMEOUT))
                .isInstanceOfSatisfying(PeerConnectException.class,
                        e -> assertThat(e.reason()).isEqualTo(PeerConnectException.Reason.UNREACHABLE))
                .hasMessageContaining("cannot connect to 127.0.0.1:" + port);
        assertThatThrownBy(() -> a.connect(new PeerAddress("no-such-host.invalid", port),
                new Device("c").identity.id(), TIMEOUT))
                .isInstanceOfSatisfying(PeerConnectException.class,
                        e -> assertThat(e.reason()).isEqualTo(PeerConnectException.Reason.UNREACHABLE))
                .hasMessageContaining("unknown host no-such-host.invalid");
    }

    @Test
    void aPinAddedWhileListeningCountsAtTheNextHandshake() throws Exception {
        Device a = new Device("a").listen();
        Device b = new Device("b");
        assertThatThrownBy(() -> b.connect(a, a.identity.id(), TIMEOUT)).isInstanceOf(PeerConnectException.class);
        a.pin(b);
        assertThat(roundTrip(b.connect(a, a.identity.id(), TIMEOUT), "now")).isEqualTo("now");
    }

    @Test
    void halfCloseEndsThePeersStreamAndItsAnswerStillArrives() throws Exception {
        Device a = new Device("a").listen();
        Device b = new Device("b");
        a.pin(b);
        PeerConnection c = b.connect(a, a.identity.id(), TIMEOUT);
        PeerStreams s = c.streams();
        s.out().write("last words".getBytes(StandardCharsets.UTF_8));
        s.out().flush();
        c.shutdownOutput();
        assertThat(new String(s.in().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("last words");
    }

    @Test
    void streams256MiBThroughTheStreamView() throws Exception {
        Device a = new Device("a");
        Device b = new Device("b");
        a.pin(b);
        CompletableFuture<Long> counted = new CompletableFuture<>();
        a.listener = PeerListener.start(new PeerListener.Settings(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), a.identity, a.uuid, a.pins::pinnedIds,
                conn -> {
                    PeerStreams s = conn.streams();
                    Thread.ofVirtual().start(() -> {
                        long total = 0;
                        byte[] buf = new byte[1 << 16];
                        try {
                            for (int n; (n = s.in().read(buf)) > 0; ) {
                                total += n;
                            }
                            DataOutputStream out = new DataOutputStream(s.out());
                            out.writeLong(total);
                            out.flush();
                            counted.complete(total);
                        } catch (IOException e) {
                            counted.completeExceptionally(e);
                        }
                    });
                }));
        open.add(a.listener);
        PeerConnection c = b.connect(a, a.identity.id(), TIMEOUT);
        PeerStreams s = c.streams();
        long size = 256L << 20;
        byte[] chunk = new byte[1 << 16];
        new java.util.Random(1).nextBytes(chunk);
        long start = System.nanoTime();
        for (long sent = 0; sent < size; sent += chunk.length) {
            s.out().write(chunk);
        }
        s.out().flush();
        c.shutdownOutput();
        long echoed = new DataInputStream(s.in()).readLong();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("BENCH peer stream view: %d MiB in %.2f s = %.0f MB/s (TLS 1.3, JDK engine, loopback)%n",
                size >> 20, seconds, size / 1e6 / seconds);
        assertThat(echoed).isEqualTo(size);
        assertThat(counted.get(10, TimeUnit.SECONDS)).isEqualTo(size);
    }

    @Test
    void trustManagerWantsExactlyOnePinnedCertificate() throws Exception {
        Device a = new Device("a");
        Device b = new Device("b");
        PinningTrustManager tm = new PinningTrustManager(() -> Set.of(b.identity.id()), a.identity.id());
        assertThat(tm.check(new java.security.cert.X509Certificate[] {b.identity.certificate()}))
                .isEqualTo(b.identity.id());
        assertThatThrownBy(() -> tm.check(new java.security.cert.X509Certificate[] {b.identity.certificate(),
            b.identity.certificate()})).hasMessageContaining("exactly one certificate");
        assertThatThrownBy(() -> tm.check(new java.security.cert.X509Certificate[] {a.identity.certificate()}))
                .hasMessageContaining("own id");
        assertThatThrownBy(() -> tm.check(new java.security.cert.X509Certificate[0]))
                .hasMessageContaining("exactly one");
    }
}
