package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.testing.GitAnnex;
import io.annexsync.transfer.remote.p2p.tls.DeviceIdentity;
import io.annexsync.transfer.remote.p2p.tls.PeerConnection;
import io.annexsync.transfer.remote.p2p.tls.PeerListener;
import io.annexsync.transfer.remote.p2p.tls.PeerPins;
import io.annexsync.transfer.remote.p2p.tls.PeerStreams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code annex-sync peer} and {@code p2p-relay} against a real mutual-TLS listener on loopback (the one the daemon
 * will run, started here on the second repository's identity and pins).
 */
class PeerCommandIT {
    private static final String ID = "([A-Z2-7]{7}-){7}[A-Z2-7]{7}";

    @TempDir
    Path tmp;

    private GitAnnex tools;
    private Path a;
    private Path b;
    private PeerListener listener;
    private final List<PeerConnection> accepted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void twoRepositories() throws IOException {
        tools = new GitAnnex(tmp.resolve("home"));
        a = Files.createDirectories(tmp.resolve("a"));
        b = Files.createDirectories(tmp.resolve("b"));
        Cli.ok(a, "init", "a");
        Cli.ok(b, "init", "b");
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close();
        }
    }

    private String id(Path repo) {
        return Cli.ok(repo, "peer", "id").out().strip();
    }

    private String uuid(Path repo) {
        return tools.git(repo, "config", "annex.uuid").strip();
    }

    /** Starts b's listener on a free loopback port, echoing what each peer sends; its port. */
    private int listenAsB() throws IOException {
        Path git = b.resolve(".git");
        listener = PeerListener.start(new PeerListener.Settings(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), DeviceIdentity.loadOrCreate(git),
                new Uuid(uuid(b)), new PeerPins(git)::pinnedIds, c -> {
                    accepted.add(c);
                    PeerStreams s = c.streams();
                    Thread.ofVirtual().start(() -> {
                        byte[] buf = new byte[4096];
                        try (InputStream in = s.in(); OutputStream out = s.out()) {
                            for (int n; (n = in.read(buf)) > 0; ) {
                                out.write(buf, 0, n);
                                out.flush();
                            }
                        } catch (IOException e) {
                            // the relay went away
                        }
                    });
                }));
        return listener.address().getPort();
    }

    @Test
    void initMakesTheIdentityAndPeerIdPrintsItStably() throws Exception {
        assertThat(a.resolve(".git/annex-sync/identity/cert.pem")).exists();
        assertThat(a.resolve(".git/annex-sync/identity/key.pem")).exists();
        String first = id(a);
        assertThat(first).matches(ID);
        assertThat(id(a)).isEqualTo(first);
        assertThat(id(b)).matches(ID).isNotEqualTo(first);
        assertThat(Cli.ok(a, "peer", "id", "--json").out()).contains("\"device-id\":\"" + first + "\"")
                .contains("\"uuid\":\"" + uuid(a) + "\"");
        assertThat(tools.git(a, "status", "--porcelain", "--ignored")).doesNotContain("identity");
    }

    @Test
    void aMistypedIdIsRefusedByItsCheckCharactersAndNothingIsPinned() {
        String id = id(b);
        char c = id.charAt(3) == 'A' ? 'B' : 'A';
        String typo = id.substring(0, 3) + c + id.substring(4);
        Cli.Run r = Cli.run(a, "peer", "add", "b", "127.0.0.1:9420", typo, "--no-connect");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("check characters");
        assertThat(Cli.ok(a, "peer", "list").out()).isEmpty();
        assertThat(tools.tryGit(a, "config", "remote.b.url").exitCode()).isEqualTo(1);
    }

    @Test
    void addListRemoveRoundTripWithTheGitRemote() {
        String idB = id(b);
        // lower case with spaces: read out over the phone
        Cli.Run add = Cli.ok(a, "peer", "add", "laptop", "laptop.example:9421",
                idB.toLowerCase().replace('-', ' '), "--no-connect");
        assertThat(add.out()).contains("peer add laptop ok").contains("uuid not known yet");
        assertThat(Cli.ok(a, "peer", "list").out()).isEqualTo("laptop\tlaptop.example:9421\t" + idB + "\t-\n");
        assertThat(tools.git(a, "config", "remote.laptop.url").strip()).isEqualTo("p2p-annex::annexsync:" + idB);
        assertThat(Cli.run(a, "peer", "add", "other", "h:1", idB, "--no-connect").err())
                .contains("already pinned as laptop");
        assertThat(Cli.run(a, "peer", "add", "x", "h:1", id(a), "--no-connect").err())
                .contains("this device's own id");

        Cli.ok(a, "peer", "remove", "laptop");
        assertThat(Cli.ok(a, "peer", "list").out()).isEmpty();
        assertThat(tools.tryGit(a, "config", "--get-regexp", "^remote\\.laptop\\.").exitCode()).isEqualTo(1);
        assertThat(Cli.run(a, "peer", "remove", "laptop").exitCode()).isEqualTo(1);
    }

    @Test
    void addOfAReachablePeerLearnsItsUuid() throws Exception {
        int port = listenAsB();
        String idA = id(a);
        String idB = id(b);

        // b has not pinned a yet: pinned all the same, and told what to do there
        Cli.Run early = Cli.ok(a, "peer", "add", "b", "127.0.0.1:" + port, idB);
        assertThat(early.out()).contains("does not let this device in yet").contains(idA);
        assertThat(tools.tryGit(a, "config", "remote.b.annex-uuid").exitCode()).isEqualTo(1);
        Cli.ok(a, "peer", "remove", "b");

        Cli.ok(b, "peer", "add", "a", "127.0.0.1:1", idA, "--no-connect");
        Cli.Run add = Cli.ok(a, "peer", "add", "b", "127.0.0.1:" + port, idB);
        assertThat(add.out()).contains("uuid " + uuid(b)).contains("reached it");
        assertThat(tools.git(a, "config", "remote.b.annex-uuid").strip()).isEqualTo(uuid(b));
        assertThat(Cli.ok(a, "peer", "list").out()).endsWith("\t" + uuid(b) + "\n");
        assertThat(accepted).isNotEmpty();
    }

    @Test
    void addRefusesAPeerPresentingAnotherIdThanTyped() throws Exception {
        int port = listenAsB();
        Path c = Files.createDirectories(tmp.resolve("c"));
        Cli.ok(c, "init", "c");
        Cli.Run r = Cli.run(a, "peer", "add", "c", "127.0.0.1:" + port, id(c));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("presented device id " + id(b)).contains("nothing pinned");
        assertThat(Cli.ok(a, "peer", "list").out()).isEmpty();
        assertThat(tools.tryGit(a, "config", "remote.c.url").exitCode()).isEqualTo(1);
    }

    @Test
    void theP2pHelperRelaysBytesBothWaysThroughTls() throws Exception {
        int port = listenAsB();
        String idB = id(b);
        Cli.ok(b, "peer", "add", "a", "127.0.0.1:1", id(a), "--no-connect");
        Cli.ok(a, "peer", "add", "b", "127.0.0.1:" + port, idB);

        Path helper = Path.of("").toAbsolutePath().getParent().resolve("bin/git-annex-p2p-annexsync");
        ProcessBuilder pb = new ProcessBuilder(helper.toString(), idB).directory(a.toFile())
                .redirectError(tmp.resolve("relay.err").toFile());
        tools.environment(pb.environment());
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write("VERSION 1\nhello through TLS\n".getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("relay.err"))).isZero();
        assertThat(new String(out, StandardCharsets.UTF_8))
                .isEqualTo("AUTH-SUCCESS " + uuid(b) + "\nVERSION 1\nhello through TLS\n");

        Process address = new ProcessBuilder(helper.toString(), "address").directory(a.toFile()).start();
        assertThat(new String(address.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip())
                .isEqualTo(id(a));
        assertThat(address.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aCorruptIdentityIsNamedAndLeftAlone() throws Exception {
        Path cert = a.resolve(".git/annex-sync/identity/cert.pem");
        Files.writeString(cert, "garbage\n");
        Cli.Run r = Cli.run(a, "peer", "id");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("corrupt").contains(cert.toString()).contains("left as it is");
        assertThat(Files.readString(cert)).isEqualTo("garbage\n");
    }
}
