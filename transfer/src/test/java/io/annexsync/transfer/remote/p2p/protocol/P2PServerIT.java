package io.annexsync.transfer.remote.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.store.ObjectStore;
import io.annexsync.gitsync.store.RemoveOutcome;
import io.annexsync.gitsync.store.StoreOptions;
import io.annexsync.gitsync.testing.GitAnnex;
import io.annexsync.transfer.record.Direction;
import io.annexsync.transfer.record.TransferInfo;
import io.annexsync.transfer.record.TransferRecords;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * annex-sync's P2P server for a repository made by real git-annex, over real loopback TCP, with our client; after
 * each test real {@code git annex fsck} passes on the served repository.
 */
class P2PServerIT {
    @TempDir
    Path tmp;
    private ServerFixture f;

    @BeforeEach
    void setUp() throws Exception {
        GitAnnex.assumeAvailable();
        f = new ServerFixture(tmp, Duration.ofSeconds(20), ServerFixture.KNOWN);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (f != null) {
            f.assertFsckPasses();
            f.close();
        }
    }

    @Test
    void answersCheckPresentAndSendsContentFromAnOffset() throws Exception {
        try (P2PClient client = f.client()) {
            assertThat(client.serverUuid()).isEqualTo(f.repo.uuid());
            assertThat(client.version()).isEqualTo(1);
            assertThat(client.checkPresent(f.hello)).isTrue();
            Path partial = Files.writeString(tmp.resolve("partial"), "hello ");
            assertThat(client.get(f.hello, Optional.of("a.txt"), partial))
                    .isEqualTo(new GetResult(GetResult.Outcome.RECEIVED, 6, 6));
            assertThat(Files.readString(partial)).isEqualTo("hello world\n");
            Key absent = f.keyOf("nobody\n".getBytes(), "n.txt");
            assertThat(client.checkPresent(absent)).isFalse();
            assertThat(client.get(absent, Optional.empty(), tmp.resolve("none")).outcome())
                    .isEqualTo(GetResult.Outcome.NOT_PRESENT);
        }
    }

    @Test
    void storesVerifiedContentRecordsItsLocationAndHasItAfterwards() throws Exception {
        Path source = Files.writeString(tmp.resolve("b.txt"), "new content\n");
        Key key = f.keyOf(Files.readAllBytes(source), "b.txt");
        try (P2PClient client = f.client()) {
            assertThat(client.put(key, Optional.of("b.txt"), source))
                    .isEqualTo(new PutResult(PutResult.Outcome.STORED, 0));
            assertThat(client.put(key, Optional.of("b.txt"), source).outcome())
                    .isEqualTo(PutResult.Outcome.ALREADY_HAVE);
        }
        assertThat(f.repo.store().contains(key)).isTrue();
        assertThat(f.annex.annex(f.dir, "whereis", "--key", key.serialize())).contains("here");
    }

    @Test
    void resumesAPutCutMidDataFromThePartialFileAndRecordsTheTransfer() throws Exception {
        byte[] big = new byte[1 << 20];
        new Random(3).nextBytes(big);
        Key key = f.keyOf(big, "big.bin");
        Path source = Files.write(tmp.resolve("big.bin"), big);
        Path partial = f.repo.gitDir().resolve("annex/tmp").resolve(key.keyFile());
        try (ServerFixture.Raw raw = f.raw().hello()) {
            raw.line("PUT big.bin " + key);
            assertThat(raw.next()).isEqualTo(new P2PMessage.PutFrom(0));
            raw.line("DATA " + big.length).bytes(java.util.Arrays.copyOf(big, 300_000));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(partial) && Files.size(partial) == 300_000);
            List<TransferInfo> live = new TransferRecords(f.repo.gitDir()).live();
            assertThat(live).singleElement().satisfies(t -> {
                assertThat(t.direction()).isEqualTo(Direction.DOWNLOAD);
                assertThat(t.remote()).isEqualTo(ServerFixture.CLIENT);
                assertThat(t.key()).isEqualTo(key);
            });
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> new TransferRecords(f.repo.gitDir()).live().isEmpty());
        assertThat(f.repo.store().contains(key)).isFalse();
        try (P2PClient client = f.client()) {
            assertThat(client.put(key, Optional.of("big.bin"), source))
                    .isEqualTo(new PutResult(PutResult.Outcome.STORED, 300_000));
        }
        assertThat(ObjectStore.check(key, f.repo.store().objectPath(key)).name()).isEqualTo("OK");
        assertThat(partial).doesNotExist();
    }

    @Test
    void refusesContentThatDoesNotMatchItsKeyAndStoresNothing() throws Exception {
        Key claimed = f.keyOf("what the key says\n".getBytes(), "c.txt");
        Path lie = Files.writeString(tmp.resolve("lie"), "WHAT THE KEY SAYS\n");
        var before = f.objects();
        try (P2PClient client = f.client()) {
            assertThat(client.put(claimed, Optional.of("c.txt"), lie).outcome()).isEqualTo(PutResult.Outcome.REFUSED);
            assertThat(client.checkPresent(claimed)).isFalse();
        }
        assertThat(f.objects()).isEqualTo(before);
        assertThat(f.repo.gitDir().resolve("annex/tmp").resolve(claimed.keyFile())).doesNotExist();
        assertThat(f.logged("does not match " + claimed)).isTrue();
    }

    @Test
    void holdsTheContentLockUntilUnlockedSoNoDropSucceeds() throws Exception {
        ObjectStore other = new ObjectStore(f.repo.gitDir(), StoreOptions.DEFAULT);
        try (P2PClient client = f.client()) {
            try (P2PClient.RemoteLock lock = client.lockContent(f.hello).orElseThrow()) {
                GitAnnex.Outcome drop = f.annex.tryAnnex(f.dir, "drop", "--force", "a.txt");
                assertThat(drop.exitCode()).as(drop.all()).isNotZero();
                assertThat(other.remove(f.hello)).isEqualTo(RemoveOutcome.LOCKED);
            }
            assertThat(client.checkPresent(f.hello)).as("the unlock was read before this").isTrue();
            assertThat(client.lockContent(f.keyOf("absent\n".getBytes(), "x"))).isEmpty();
        }
        assertThat(f.repo.store().contains(f.hello)).isTrue();
    }

    @Test
    void removesContentAndRecordsItGone() throws Exception {
        Path source = Files.writeString(tmp.resolve("r.txt"), "to remove\n");
        Key key = f.keyOf(Files.readAllBytes(source), "r.txt");
        try (P2PClient client = f.client()) {
            client.put(key, Optional.empty(), source);
            assertThat(client.remove(key)).isTrue();
            assertThat(client.checkPresent(key)).isFalse();
            assertThat(client.remove(key)).isTrue();
        }
        assertThat(f.annex.tryAnnex(f.dir, "whereis", "--key", key.serialize()).all()).contains("(0 copies)");
    }

    @Test
    void fetchesAndPushesGitOverConnectOnlyIntoSyncedBranches() throws Exception {
        Path local = tmp.resolve("local");
        try (Git git = Git.init().setDirectory(local.toFile()).setInitialBranch("main").call()) {
            TunnelTransport transport = new TunnelTransport(git.getRepository(), f::client);
            FetchResult fetched = transport.fetch(NullProgressMonitor.INSTANCE,
                    List.of(new RefSpec("+refs/heads/*:refs/remotes/peer/*")));
            String branch = f.annex.git(f.dir, "symbolic-ref", "--short", "HEAD").trim();
            ObjectId head = ObjectId.fromString(f.annex.git(f.dir, "rev-parse", "HEAD").trim());
            assertThat(fetched.getAdvertisedRef("refs/heads/" + branch).getObjectId()).isEqualTo(head);
            assertThat(git.getRepository().resolve("refs/remotes/peer/git-annex")).isNotNull();

            git.checkout().setName("work").setCreateBranch(true).setStartPoint("refs/remotes/peer/" + branch).call();
            Files.writeString(local.resolve("pushed.txt"), "pushed\n");
            git.add().addFilepattern("pushed.txt").call();
            RevCommit commit = git.commit().setMessage("pushed").setAuthor(GitAnnex.NAME, GitAnnex.EMAIL)
                    .setCommitter(GitAnnex.NAME, GitAnnex.EMAIL).call();
            assertThat(push(transport, "refs/heads/work:refs/heads/synced/" + branch))
                    .isEqualTo(RemoteRefUpdate.Status.OK);
            assertThat(f.annex.git(f.dir, "rev-parse", "refs/heads/synced/" + branch).trim()).isEqualTo(commit.name());
            assertThat(push(transport, "refs/heads/work:refs/heads/" + branch))
                    .isEqualTo(RemoteRefUpdate.Status.REJECTED_OTHER_REASON);
            assertThat(f.annex.git(f.dir, "rev-parse", "HEAD").trim()).isEqualTo(head.name());
        }
    }

    private static RemoteRefUpdate.Status push(TunnelTransport transport, String spec) throws Exception {
        var updates = transport.findRemoteRefUpdatesFor(List.of(new RefSpec(spec)));
        PushResult r = transport.push(NullProgressMonitor.INSTANCE, updates);
        return r.getRemoteUpdate(new RefSpec(spec).getDestination()).getStatus();
    }

    @Test
    void answersNotifyChangeWhenARefChanges() throws Exception {
        try (P2PClient client = f.client(); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<List<String>> changed = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.awaitChange();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, pool);
            await().atMost(Duration.ofSeconds(10)).until(() -> f.refChanges.subscribers() == 1);
            String sha = "0123456789abcdef0123456789abcdef01234567";
            f.refChanges.fire(List.of(sha));
            assertThat(changed.get(10, TimeUnit.SECONDS)).containsExactly(sha);
            await().atMost(Duration.ofSeconds(10)).until(() -> f.refChanges.subscribers() == 0);
            assertThat(client.checkPresent(f.hello)).isTrue();
        }
    }

    @Test
    void aClientThatLeavesWhileWaitingForAChangeEndsItsSession() throws Exception {
        try (ServerFixture.Raw raw = f.raw().hello()) {
            raw.line("NOTIFYCHANGE");
            await().atMost(Duration.ofSeconds(10)).until(() -> f.refChanges.subscribers() == 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> f.refChanges.subscribers() == 0);
    }

    @Test
    void behindATransportThatGreetedTheClientTheFirstLineIsARequest() throws Exception {
        f.close();
        f = new ServerFixture(tmp.resolve("greeted"), Duration.ofSeconds(20),
                new Admission.Greeted(ServerFixture.CLIENT));
        try (ServerFixture.Raw raw = f.raw()) {
            raw.line("VERSION 1");
            assertThat(raw.next()).isEqualTo(new P2PMessage.Version(1));
            raw.line("CHECKPRESENT " + f.hello);
            assertThat(raw.next()).isEqualTo(new P2PMessage.Success());
        }
    }

    @Test
    void installedOnAChannelAfterItsOwnAcceptanceLineTheServerTakesOver() throws Exception {
        P2PServer.Context context = new P2PServer.Context(f.repo, new TransferRecords(f.repo.gitDir()),
                P2PServer.Context.journal(f.repo), RefChanges.none(), Duration.ofSeconds(20));
        io.netty.channel.EventLoopGroup group = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
                io.netty.channel.nio.NioIoHandler.newFactory());
        try (P2PServer server = new P2PServer(context, ch -> new Admission.Greeted(ServerFixture.CLIENT))) {
            // what the TLS listener does: its own acceptance line once the channel is up, then the protocol
            io.netty.channel.Channel listener = new io.netty.bootstrap.ServerBootstrap().group(group)
                    .channel(io.netty.channel.socket.nio.NioServerSocketChannel.class)
                    .childHandler(new io.netty.channel.ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(io.netty.channel.ChannelHandlerContext ctx) {
                            ctx.writeAndFlush(io.netty.buffer.Unpooled.copiedBuffer("AUTH-SUCCESS " + f.repo.uuid()
                                    + "\n", java.nio.charset.StandardCharsets.US_ASCII)).addListener(done -> {
                                        ctx.pipeline().remove(this);
                                        server.install(ctx.channel());
                                    });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            int port = ((java.net.InetSocketAddress) listener.localAddress()).getPort();
            try (Socket s = new Socket("127.0.0.1", port); P2PClient client = P2PClient.open(new StreamConnection(
                    s.getInputStream(), s.getOutputStream(), "late"), ServerFixture.CLIENT,
                    new Handshake.ServerFirst(Optional.of(f.repo.uuid())))) {
                assertThat(client.checkPresent(f.hello)).isTrue();
            }
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void anAuthListenerWantsTheTokenFirst() throws Exception {
        f.close();
        f = new ServerFixture(tmp.resolve("auth"), Duration.ofSeconds(20), ServerFixture.TOKEN_FIRST);
        Uuid server = f.repo.uuid();
        try (Socket s = new Socket("127.0.0.1", f.port())) {
            StreamConnection c = new StreamConnection(s.getInputStream(), s.getOutputStream(), "server");
            assertThatThrownBy(() -> P2PClient.open(c, ServerFixture.CLIENT, new Handshake.Authenticate("wrong")))
                    .hasMessageContaining("refused our AUTH");
        }
        try (ServerFixture.Raw raw = f.raw()) {
            raw.line("VERSION 1");
            assertThat(raw.next()).isEqualTo(new P2PMessage.Error("must AUTH first"));
            raw.line("AUTH " + ServerFixture.CLIENT + " wrong");
            assertThat(raw.next()).isEqualTo(new P2PMessage.AuthFailure());
            raw.line("AUTH " + ServerFixture.CLIENT + " " + ServerFixture.TOKEN);
            assertThat(raw.next()).isEqualTo(new P2PMessage.AuthSuccess(server));
        }
        try (Socket s = new Socket("127.0.0.1", f.port());
                P2PClient client = P2PClient.open(new StreamConnection(s.getInputStream(), s.getOutputStream(),
                        "server"), ServerFixture.CLIENT, new Handshake.Authenticate(ServerFixture.TOKEN))) {
            assertThat(client.serverUuid()).isEqualTo(server);
            assertThat(client.checkPresent(f.hello)).isTrue();
        }
    }
}
