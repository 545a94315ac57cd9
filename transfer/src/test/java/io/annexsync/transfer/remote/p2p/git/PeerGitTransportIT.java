package io.annexsync.transfer.remote.p2p.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.testing.GitAnnex;
import io.annexsync.transfer.remote.p2p.protocol.P2PClient;
import io.annexsync.transfer.remote.p2p.tls.DeviceId;
import io.annexsync.transfer.remote.p2p.tls.DeviceIdentity;
import io.annexsync.transfer.remote.p2p.tls.PeerAddress;
import io.annexsync.transfer.remote.p2p.tls.PeerPin;
import io.annexsync.transfer.remote.p2p.tls.PeerPins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JGit fetch and push over {@code p2p-annex::annexsync:} URLs through real mutual TLS on loopback, to a {@link
 * PeerServer} serving a real git-annex repository.
 */
class PeerGitTransportIT {
    @TempDir
    Path tmp;

    private GitAnnex annex;
    private Path a;
    private Path b;
    private AnnexRepo repoA;
    private AnnexRepo repoB;
    private PolledRefChanges changesB;
    private PeerServer serverB;
    private DeviceId deviceB;

    @BeforeEach
    void setUp() throws Exception {
        PeerGitTransport.register();
        annex = new GitAnnex(tmp.resolve("home"));
        a = repo("a");
        b = repo("b");
        repoA = AnnexRepo.open(a);
        repoB = AnnexRepo.open(b);
        DeviceIdentity idA = DeviceIdentity.loadOrCreate(repoA.gitDir());
        DeviceIdentity idB = DeviceIdentity.loadOrCreate(repoB.gitDir());
        deviceB = idB.id();
        changesB = new PolledRefChanges(repoB.git(), Duration.ofMillis(100));
        serverB = PeerServer.start(repoB, new InetSocketAddress("127.0.0.1", 0), changesB);
        new PeerPins(repoA.gitDir()).save(new PeerPin("b", new PeerAddress("127.0.0.1", serverB.address().getPort()),
                idB.id(), Optional.of(repoB.uuid())));
        new PeerPins(repoB.gitDir()).save(new PeerPin("a", new PeerAddress("127.0.0.1", 1), idA.id(),
                Optional.empty()));
        StoredConfig c = repoA.git().getConfig();
        c.setString("remote", "b", "url", PeerGitTransport.URL_PREFIX + idB.id());
        c.setString("remote", "b", "fetch", "+refs/heads/*:refs/remotes/b/*");
        c.save();
    }

    private Path repo(String name) throws Exception {
        Path dir = annex.initAnnexRepo(tmp.resolve(name));
        annex.git(dir, "config", "user.name", GitAnnex.NAME);
        annex.git(dir, "config", "user.email", GitAnnex.EMAIL);
        Files.writeString(dir.resolve(name + ".txt"), name + "\n");
        annex.git(dir, "add", name + ".txt");
        annex.git(dir, "commit", "-q", "-m", name);
        return dir;
    }

    @AfterEach
    void tearDown() {
        serverB.close();
        changesB.close();
        repoA.close();
        repoB.close();
    }

    @Test
    void theUrlIsOursNotSsh() throws Exception {
        URIish uri = new URIish("p2p-annex::annexsync:AAAA");
        assertThat(PeerGitTransport.INSTANCE.canHandle(uri, null, null)).isTrue();
        assertThat(PeerGitTransport.INSTANCE.canHandle(new URIish("host:path"), null, null)).isFalse();
    }

    @Test
    void fetchesAndPushesOverTls() throws Exception {
        String headB = annex.git(b, "rev-parse", "HEAD").trim();
        String headA = annex.git(a, "rev-parse", "HEAD").trim();
        try (Git git = Git.wrap(repoA.git())) {
            git.fetch().setRemote("b").setTimeout(20).call();
            assertThat(repoA.git().resolve("refs/remotes/b/git-annex")).isNotNull();
            assertThat(repoA.git().exactRef("refs/remotes/b/" + repoB.git().getBranch()).getObjectId().name())
                    .isEqualTo(headB);
            git.push().setRemote("b").setTimeout(20)
                    .setRefSpecs(new RefSpec("HEAD:refs/heads/synced/from-a")).call();
        }
        ObjectId pushed = repoB.git().exactRef("refs/heads/synced/from-a").getObjectId();
        assertThat(pushed.name()).isEqualTo(headA);
        assertThat(annex.git(b, "cat-file", "-t", headA).trim()).isEqualTo("commit");
    }

    @Test
    void notifyChangeIsAnsweredWhenAPeerPushes() throws Exception {
        BlockingQueue<List<String>> seen = new ArrayBlockingQueue<>(4);
        try (var s = changesB.subscribe(seen::add); Git git = Git.wrap(repoA.git())) {
            git.push().setRemote("b").setTimeout(20)
                    .setRefSpecs(new RefSpec("HEAD:refs/heads/synced/x")).call();
            assertThat(seen.poll(10, TimeUnit.SECONDS)).contains(annex.git(a, "rev-parse", "HEAD").trim());
        }
    }

    @Test
    void aPeerThatDidNotPinUsRefusesAndNothingChanges() throws Exception {
        new PeerPins(repoB.gitDir()).remove("a");
        try (Git git = Git.wrap(repoA.git())) {
            assertThatThrownBy(() -> git.push().setRemote("b").setTimeout(20)
                    .setRefSpecs(new RefSpec("HEAD:refs/heads/synced/from-a")).call())
                    .isInstanceOf(TransportException.class).hasStackTraceContaining("refused this device");
        }
        assertThat(repoB.git().exactRef("refs/heads/synced/from-a")).isNull();
    }

    @Test
    void anUnpinnedDeviceIdSaysSo() throws Exception {
        new PeerPins(repoA.gitDir()).remove("b");
        try (Git git = Git.wrap(repoA.git())) {
            assertThatThrownBy(() -> git.fetch().setRemote("b").setTimeout(20).call())
                    .isInstanceOf(TransportException.class).hasStackTraceContaining("is not pinned here");
        }
    }

    @Test
    void anUnreachablePeerSaysSo() throws Exception {
        int port = serverB.address().getPort();
        serverB.close();
        try (Git git = Git.wrap(repoA.git())) {
            assertThatThrownBy(() -> git.fetch().setRemote("b").setTimeout(5).call())
                    .isInstanceOf(TransportException.class).hasStackTraceContaining("127.0.0.1:" + port);
        }
    }

    @Test
    void aWatchingClientHearsChangedWhenABranchMoves() throws Exception {
        try (P2PClient client = PeerClients.open(repoA.git(), deviceB, "b", Duration.ofSeconds(10))) {
            CompletableFuture<List<String>> changed = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.awaitChange();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Thread.sleep(300);
            commitIn(b, "later.txt");
            assertThat(changed.get(10, TimeUnit.SECONDS)).contains(annex.git(b, "rev-parse", "HEAD").trim());
        }
    }

    private void commitIn(Path dir, String name) throws Exception {
        Files.writeString(dir.resolve(name), name + "\n");
        annex.git(dir, "add", name);
        annex.git(dir, "commit", "-q", "-m", name);
    }
}
