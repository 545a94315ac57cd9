package io.annexsync.transfer.remote.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.key.Backend;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.store.IngestMode;
import io.annexsync.gitsync.store.VerifyResult;
import io.annexsync.transfer.record.TransferRecords;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Seeded fuzzing of the framing parser, the Netty decoder and the server: mutated real git-annex conversations and
 * grammar-made lines. Nothing but a protocol error may come out of the parser, no body chunk is ever gathered beyond
 * the piece it arrived in, the server never fails (no ERROR logged, it still serves afterwards) and what it stores
 * always matches its key. {@code -Dp2p.fuzz.inputs=1000000} (parser and decoder) and {@code -Dp2p.fuzz.sessions}
 * (server connections over loopback TCP) set the counts for the benchmark run; the seed is
 * {@code -Dp2p.fuzz.seed}.
 */
class P2PFuzzTest {
    private static final int INPUTS = Integer.getInteger("p2p.fuzz.inputs", 3000);
    private static final int SESSIONS = Integer.getInteger("p2p.fuzz.sessions", 150);
    private static final long SEED = Long.getLong("p2p.fuzz.seed", 20261207L);
    private static final String[] WORDS = {"AUTH", "AUTH-SUCCESS", "VERSION", "CHECKPRESENT", "LOCKCONTENT",
        "UNLOCKCONTENT", "REMOVE", "GET", "PUT", "PUT-FROM", "ALREADY-HAVE", "DATA", "VALID", "INVALID", "SUCCESS",
        "FAILURE", "ERROR", "CONNECT", "CONNECTDONE", "NOTIFYCHANGE", "CHANGED", "GETTIMESTAMP", "BYPASS",
        "git-upload-pack", "git-receive-pack", "0", "1", "-1", "99999999999999999999", "%", "%%", "..", "/", "a.txt",
        "SHA256E-s12--a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447.txt", "WORM-s1-m1--x",
        "c1e47000-1234-4abc-8def-0123456789ab", "\u0000", "\r", "é"};

    @TempDir
    Path tmp;

    private static List<byte[]> transcripts() throws Exception {
        Path dir = Path.of(P2PFuzzTest.class.getResource("/p2p").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<byte[]> out = new ArrayList<>();
            for (Path f : files.sorted().toList()) {
                out.add(Files.readAllBytes(f));
            }
            return out;
        }
    }

    /** One input: a mutated transcript or a run of grammar lines, sometimes with a long line or a big DATA. */
    static byte[] input(SplittableRandom r, List<byte[]> seeds) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (r.nextInt(3) == 0) {
            int lines = 1 + r.nextInt(12);
            for (int i = 0; i < lines; i++) {
                int words = 1 + r.nextInt(4);
                StringBuilder line = new StringBuilder();
                for (int w = 0; w < words; w++) {
                    line.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
                }
                out.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } else {
            out.writeBytes(seeds.get(r.nextInt(seeds.size())));
        }
        byte[] b = out.toByteArray();
        int mutations = r.nextInt(6);
        for (int m = 0; m < mutations && b.length > 0; m++) {
            b = mutate(r, b);
        }
        if (r.nextInt(50) == 0) {
            byte[] longLine = new byte[P2PCodec.MAX_LINE + r.nextInt(1000)];
            java.util.Arrays.fill(longLine, (byte) 'x');
            b = concat(b, longLine);
        }
        return b;
    }

    private static byte[] mutate(SplittableRandom r, byte[] b) {
        int at = r.nextInt(b.length);
        return switch (r.nextInt(5)) {
            case 0 -> {
                b[at] = (byte) r.nextInt(256);
                yield b;
            }
            case 1 -> concat(concat(java.util.Arrays.copyOf(b, at), new byte[] {(byte) "\n %0\r".charAt(r.nextInt(5))}),
                    java.util.Arrays.copyOfRange(b, at, b.length));
            case 2 -> concat(java.util.Arrays.copyOf(b, at), java.util.Arrays.copyOfRange(b,
                    Math.min(b.length, at + 1 + r.nextInt(16)), b.length));
            case 3 -> java.util.Arrays.copyOf(b, at);
            default -> concat(b, java.util.Arrays.copyOfRange(b, at, Math.min(b.length, at + r.nextInt(200))));
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void theParserAndTheDecoderOnlyEverFailWithAProtocolError() throws Exception {
        List<byte[]> seeds = transcripts();
        SplittableRandom r = new SplittableRandom(SEED);
        long frames = 0;
        long protocolErrors = 0;
        for (int i = 0; i < INPUTS; i++) {
            byte[] in = input(r, seeds);
            int step = 1 + r.nextInt(r.nextBoolean() ? 16 : 8192);
            try {
                frames += parse(in, step);
            } catch (P2PProtocolException e) {
                protocolErrors++;
            } catch (RuntimeException e) {
                throw new AssertionError("input " + i + " of seed " + SEED + " broke the parser", e);
            }
            decode(in, step, i);
        }
        assertThat(frames).as("the inputs were mostly understood").isGreaterThan(INPUTS);
        assertThat(protocolErrors).isPositive();
    }

    /** Feeds {@code in} in pieces of {@code step}; checks no body chunk is larger than its piece. */
    private static long parse(byte[] in, int step) throws P2PProtocolException {
        FrameParser parser = new FrameParser();
        long frames = 0;
        for (int off = 0; off < in.length; off += step) {
            ByteBuffer piece = ByteBuffer.wrap(in, off, Math.min(step, in.length - off)).slice();
            FrameParser.Frame f;
            while ((f = parser.next(piece)) != null) {
                frames++;
                if (f instanceof FrameParser.Frame.Body body) {
                    assertThat(body.bytes().remaining()).isLessThanOrEqualTo(step);
                }
            }
        }
        return frames;
    }

    private static void decode(byte[] in, int step, int index) {
        EmbeddedChannel ch = new EmbeddedChannel(new P2PFrameDecoder());
        try {
            for (int off = 0; off < in.length && ch.isOpen(); off += step) {
                ch.writeInbound(Unpooled.wrappedBuffer(in, off, Math.min(step, in.length - off)));
                Object o;
                while ((o = ch.readInbound()) != null) {
                    if (o instanceof ByteBuf b) {
                        assertThat(b.readableBytes()).isLessThanOrEqualTo(step);
                        b.release();
                    }
                }
            }
        } catch (DecoderException e) {
            assertThat(e.getCause()).as("input %d", index).isInstanceOf(P2PProtocolException.class);
        }
        ch.finishAndReleaseAll();
    }

    @Test
    void theServerSurvivesEveryInputAndStoresOnlyWhatMatchesItsKey() throws Exception {
        Path dir = tmp.resolve("server");
        Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call().close();
        AnnexRepo.init(dir, Optional.of("fuzz"), "fuzz");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level rootLevel = root.getLevel();
        root.addAppender(log);
        root.setLevel(Level.ERROR);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (AnnexRepo repo = AnnexRepo.open(dir)) {
            Path a = Files.writeString(tmp.resolve("a.txt"), "hello world\n");
            Key hello = repo.store().ingest(a, Backend.SHA256E, "a.txt", IngestMode.COPY);
            P2PServer.Context context = new P2PServer.Context(repo, new TransferRecords(repo.gitDir()),
                    P2PServer.Context.journal(repo), RefChanges.none(), Duration.ofSeconds(1));
            try (P2PServer server = new P2PServer(context, ch -> new Admission.Known(ServerFixture.CLIENT))) {
                Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childHandler(server.initializer()).bind("127.0.0.1", 0).sync().channel();
                int port = ((InetSocketAddress) listener.localAddress()).getPort();
                List<byte[]> seeds = transcripts();
                SplittableRandom r = new SplittableRandom(SEED + 1);
                boolean removedHello = false;
                for (int i = 0; i < SESSIONS; i++) {
                    byte[] in = input(r, seeds);
                    removedHello |= new String(in, StandardCharsets.ISO_8859_1).contains("REMOVE " + hello);
                    talk(port, in);
                }
                try (Socket s = new Socket("127.0.0.1", port); P2PClient client = P2PClient.open(
                        new StreamConnection(s.getInputStream(), s.getOutputStream(), "server"),
                        ServerFixture.CLIENT, new Handshake.ServerFirst(Optional.of(repo.uuid())))) {
                    // only a REMOVE of it may take it away (one in the input may still not have run)
                    assertThat(client.checkPresent(hello) || removedHello).isTrue();
                }
                for (Key k : repo.store().keys()) {
                    // a key without a checksum annex-sync knows (WORM, another backend) is checked by its size
                    VerifyResult check = repo.store().verify(k);
                    assertThat(check).as(k.toString()).isIn(VerifyResult.OK, VerifyResult.UNVERIFIABLE);
                    assertThat(repo.store().verifySize(k)).as(k.toString()).isEqualTo(VerifyResult.OK);
                }
                listener.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
            root.detachAppender(log);
            root.setLevel(rootLevel);
        }
        assertThat(log.list).as("nothing failed inside the server").isEmpty();
    }

    /** Sends {@code in}, ends the output half, reads until the server closes. */
    private static void talk(int port, byte[] in) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            try {
                s.getOutputStream().write(in);
                s.shutdownOutput();
            } catch (SocketException e) {
                // the server hung up on an earlier part of the input: what it should do
            }
            InputStream i = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                while (i.read(buf) >= 0) {
                    // what the server answered does not matter here, only that it ends
                }
            } catch (SocketException e) {
                // reset by the server after it hung up
            }
        }
    }
}
