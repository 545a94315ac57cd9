package io.annexsync.transfer.remote.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.testing.GitAnnex;
import io.annexsync.transfer.record.TransferRecords;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * A repository made by real git-annex, served by {@link P2PServer} on a real loopback TCP port, and clients for it:
 * {@link #client()} (our P2PClient) and {@link #raw()} (a socket to write anything at all).
 */
final class ServerFixture implements AutoCloseable {
    static final Uuid CLIENT = new Uuid("c1e47000-1234-4abc-8def-0123456789ab");
    static final String TOKEN = "s3cr3ttoken";
    static final Admission KNOWN = new Admission.Known(CLIENT);
    static final Admission TOKEN_FIRST = new Admission.Token((uuid, t) -> t.equals(TOKEN) ? Optional.of(uuid)
            : Optional.empty());

    final GitAnnex annex;
    final Path dir;
    final AnnexRepo repo;
    final Key hello;
    final TestRefChanges refChanges = new TestRefChanges();
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final P2PServer server;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel listener;

    ServerFixture(Path tmp, Duration idleTimeout, Admission admission) throws Exception {
        annex = new GitAnnex(tmp.resolve("home"));
        dir = annex.initAnnexRepo(tmp.resolve("server"));
        annex.git(dir, "config", "user.name", GitAnnex.NAME);
        annex.git(dir, "config", "user.email", GitAnnex.EMAIL);
        Files.writeString(dir.resolve("a.txt"), "hello world\n");
        annex.annex(dir, "add", "--quiet", "a.txt");
        annex.git(dir, "commit", "-q", "-m", "a");
        hello = Key.of(annex.annex(dir, "lookupkey", "a.txt").trim());
        repo = AnnexRepo.open(dir);
        P2PServer.Context context = new P2PServer.Context(repo, new TransferRecords(repo.gitDir()),
                P2PServer.Context.journal(repo), refChanges, idleTimeout);
        server = new P2PServer(context, ch -> admission);
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(server.initializer()).bind("127.0.0.1", 0).sync().channel();
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
        // unknown commands are logged at INFO (a newer git-annex sends some): the tests read those lines too
        ((Logger) LoggerFactory.getLogger(P2PServerSession.class)).setLevel(ch.qos.logback.classic.Level.INFO);
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    P2PClient client() throws IOException {
        Socket s = new Socket("127.0.0.1", port());
        return P2PClient.open(new StreamConnection(s.getInputStream(), s.getOutputStream(), "server"), CLIENT,
                new Handshake.ServerFirst(Optional.of(repo.uuid())));
    }

    Raw raw() throws IOException {
        return new Raw(new Socket("127.0.0.1", port()));
    }

    /** A socket speaking by hand, with a reader for the server's frames. */
    static final class Raw implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final StreamConnection in;

        Raw(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(30_000);
            this.out = socket.getOutputStream();
            this.in = new StreamConnection(socket.getInputStream(), OutputStream.nullOutputStream(), "server");
        }

        Raw line(String text) throws IOException {
            return bytes((text + "\n").getBytes(StandardCharsets.UTF_8));
        }

        Raw bytes(byte[] b) throws IOException {
            out.write(b);
            out.flush();
            return this;
        }

        P2PMessage next() throws IOException {
            return in.receive();
        }

        /** Reads the greeting and agrees on version 1. */
        Raw hello() throws IOException {
            assertThat(next()).isInstanceOf(P2PMessage.AuthSuccess.class);
            line("VERSION 1");
            assertThat(next()).isEqualTo(new P2PMessage.Version(1));
            return this;
        }

        /** True when the server closed the connection (EOF within the socket timeout). */
        boolean closedByServer() throws IOException {
            try {
                InputStream i = socket.getInputStream();
                byte[] buf = new byte[8192];
                while (i.read(buf) >= 0) {
                    // skip what the server still said
                }
                return true;
            } catch (java.net.SocketException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** The key real git-annex gives {@code content}. */
    Key keyOf(byte[] content, String name) throws IOException {
        Path f = dir.getParent().resolve("keys").resolve(name);
        Files.createDirectories(f.getParent());
        Files.write(f, content);
        return Key.of(annex.annex(dir, "calckey", f.toString()).trim());
    }

    /** Every file under .git/annex/objects with its SHA-256: to show nothing stored was touched. */
    Map<String, String> objects() throws IOException {
        Path objects = repo.gitDir().resolve("annex/objects");
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(objects)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(objects.relativize(f).toString(), sha256(f));
            }
        }
        return out;
    }

    private static String sha256(Path f) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean logged(String text) {
        return List.copyOf(log.list).stream().anyMatch(e -> e.getFormattedMessage().contains(text));
    }

    void assertFsckPasses() {
        GitAnnex.Outcome fsck = annex.tryAnnex(dir, "fsck", "--quiet");
        assertThat(fsck.exitCode()).as(fsck.all()).isZero();
    }

    @Override
    public void close() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        listener.close().sync();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        server.close();
        repo.close();
    }

    /** Ref changes the test announces by hand. */
    static final class TestRefChanges implements RefChanges {
        private final List<Consumer<List<String>>> listeners = new CopyOnWriteArrayList<>();

        @Override
        public Subscription subscribe(Consumer<List<String>> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }

        int subscribers() {
            return listeners.size();
        }

        void fire(List<String> refs) {
            listeners.forEach(l -> l.accept(refs));
        }
    }
}
