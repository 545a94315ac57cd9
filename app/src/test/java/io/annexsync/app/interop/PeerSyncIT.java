package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Git over peers end to end: repositories that pinned each other with {@code annex-sync peer add}, daemons (in JVMs
 * of their own) listening on free loopback ports with real mutual TLS, {@code annex-sync sync} and the daemon's own
 * pushes going through the {@code p2p-annex::annexsync:} transport.
 */
class PeerSyncIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String LISTEN = "[assistant]\n\tlisten = 127.0.0.1:0\n\tquiet = 200ms\n";

    @TempDir
    Path tmp;

    private DaemonFolders f;
    private GitAnnex tools;

    @BeforeEach
    void folders() {
        Oracle.assumeGitAnnex();
        f = new DaemonFolders(tmp, 12);
        tools = f.tools();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (f != null) {
            f.close();
        }
    }

    private static String id(Path dir) {
        return Cli.ok(dir, "peer", "id").out().strip();
    }

    private static String listening(Daemon d) {
        await("the daemon's listen address").atMost(PATIENCE)
                .until(() -> d.status().map(s -> s.has("listen")).orElse(false));
        return d.status().orElseThrow().get("listen").getAsString();
    }

    private String head(Path dir) {
        return tools.git(dir, "rev-parse", "HEAD").strip();
    }

    private boolean has(Path dir, String commit) {
        try {
            tools.git(dir, "merge-base", "--is-ancestor", commit, "HEAD");
            return true;
        } catch (RuntimeException | AssertionError e) {
            return false;
        }
    }

    private boolean committed(Path dir, String file) {
        try {
            return tools.git(dir, "ls-tree", "-r", "--name-only", "HEAD").lines().anyMatch(file::equals);
        } catch (RuntimeException | AssertionError e) {
            return false;
        }
    }

    private void commit(Path dir, String file) throws IOException {
        Files.writeString(dir.resolve(file), file + "\n");
        tools.git(dir, "add", file);
        tools.git(dir, "commit", "-q", "-m", file);
    }

    @Test
    void syncPushesAndFetchesGitOverTlsAndAStrangerIsRefused() throws Exception {
        Path a = f.folder("a");
        Path b = f.folder("b");
        DaemonFolders.config(b, LISTEN);
        Cli.ok(b, "peer", "add", "a", "127.0.0.1:1", id(a), "--no-connect");
        Daemon db = f.start("b", b);
        String address = listening(db);
        assertThat(address).startsWith("127.0.0.1:").isNotEqualTo("127.0.0.1:0");
        Cli.ok(a, "peer", "add", "b", address, id(b));

        commit(a, "from-a.txt");
        String fromA = head(a);
        Files.writeString(b.resolve("from-b.txt"), "from b\n"); // B's daemon commits it
        await("B's daemon committed").atMost(PATIENCE).until(() -> committed(b, "from-b.txt"));
        String fromB = head(b);

        Cli.Run sync = Cli.run(a, "sync");
        assertThat(sync.exitCode()).as(sync.out() + sync.err()).isZero();
        String branch = tools.git(a, "symbolic-ref", "--short", "HEAD").strip();
        await("A's commit on B's synced branch").atMost(PATIENCE)
                .until(() -> tools.git(b, "for-each-ref", "refs/heads/synced/" + branch).contains(fromA)
                        || has(b, fromA));
        await("B's daemon merged A's commit").atMost(PATIENCE).until(() -> has(b, fromA));
        assertThat(b.resolve("from-a.txt")).exists();
        assertThat(has(a, fromB)).as("B's commit merged in A").isTrue();
        assertThat(a.resolve("from-b.txt")).exists();

        Path c = f.folder("c");
        Cli.Run add = Cli.run(c, "peer", "add", "b", address, id(b));
        assertThat(add.out() + add.err()).contains("does not let this device in");
        commit(c, "from-c.txt");
        String refsBefore = tools.git(b, "for-each-ref");
        Cli.Run refused = Cli.run(c, "sync");
        assertThat(refused.out() + refused.err()).contains("refused this device");
        assertThat(tools.git(b, "for-each-ref")).isEqualTo(refsBefore);
        assertThat(tools.git(b, "log", "--all", "--format=%s")).doesNotContain("from-c.txt");
    }

    @Test
    void aDaemonsCommitIsMergedByItsPeersDaemonOverTls() throws Exception {
        Path a = f.folder("a");
        Path b = f.folder("b");
        DaemonFolders.config(a, LISTEN);
        DaemonFolders.config(b, LISTEN);
        Cli.ok(a, "peer", "add", "b", "127.0.0.1:1", id(b), "--no-connect");
        Cli.ok(b, "peer", "add", "a", "127.0.0.1:1", id(a), "--no-connect");
        Daemon da = f.start("a", a);
        Daemon db = f.start("b", b);
        Cli.ok(a, "peer", "remove", "b");
        Cli.ok(a, "peer", "add", "b", listening(db), id(b), "--no-connect");
        Cli.ok(b, "peer", "remove", "a");
        Cli.ok(b, "peer", "add", "a", listening(da), id(a), "--no-connect");

        Files.writeString(a.resolve("news.txt"), "news from a\n");
        await("A's daemon committed").atMost(PATIENCE).until(() -> committed(a, "news.txt"));
        long start = System.nanoTime();
        await("B's daemon merged A's commit").atMost(PATIENCE).until(() -> Files.exists(b.resolve("news.txt"),
                java.nio.file.LinkOption.NOFOLLOW_LINKS));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("A's push over TLS merged by B").isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aPortInUseIsSaidAndTheDaemonRunsOnWithoutListening() throws Exception {
        Path a = f.folder("a");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DaemonFolders.config(a, "[assistant]\n\tlisten = 127.0.0.1:" + taken.getLocalPort() + "\n");
            Daemon da = f.start("a", a);
            await("the listener's problem in daemon.json").atMost(PATIENCE)
                    .until(() -> da.status().map(s -> s.has("listen-problem")).orElse(false));
            assertThat(da.status().orElseThrow().get("listen-problem").getAsString())
                    .startsWith("not listening for peers on 127.0.0.1:" + taken.getLocalPort());
            assertThat(da.status().orElseThrow().get("state").getAsString()).isEqualTo("running");
            Files.writeString(a.resolve("still.txt"), "the daemon still commits\n");
            await("the daemon still commits").atMost(PATIENCE).until(() -> committed(a, "still.txt"));
        }
    }

    @Test
    void aPeersCommitIsFetchedAndMergedWhenItSaysChanged() throws Exception {
        Path a = f.folder("a");
        Path b = f.folder("b");
        DaemonFolders.config(b, LISTEN);
        Cli.ok(b, "peer", "add", "a", "127.0.0.1:1", id(a), "--no-connect"); // B's pushes to A fail
        Daemon db = f.start("b", b);
        Cli.ok(a, "peer", "add", "b", listening(db), id(b));
        f.start("a", a);
        Path logA = a.resolve(".git/annex-sync/daemon.log");
        await("A watches B").atMost(PATIENCE).until(() -> Files.exists(logA)
                && Files.readString(logA).contains("watching peer b for changes"));

        Files.writeString(b.resolve("later.txt"), "written in b\n");
        await("B's daemon committed").atMost(PATIENCE).until(() -> committed(b, "later.txt"));
        long start = System.nanoTime();
        await("A's daemon fetched and merged on CHANGED").atMost(PATIENCE).until(() -> committed(a, "later.txt"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }
}
