package io.annexsync.gitsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.remote.RemoteConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteOpsTest {
    private static final List<String> SYNC_SPECS =
            List.of("refs/heads/main:refs/heads/synced/main", "+refs/heads/git-annex:refs/heads/synced/git-annex");
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration MARGIN = Duration.ofSeconds(5);

    @TempDir
    Path tmp;

    private Git me;
    private Git alice;
    private Git bob;
    private Git nas;
    private List<RemoteConfig> remotes;

    @BeforeEach
    void threeRemotes() throws Exception {
        me = SyncRepos.origin(tmp.resolve("me"));
        alice = SyncRepos.cloneOf(tmp.resolve("me"), tmp.resolve("alice"), false);
        bob = SyncRepos.cloneOf(tmp.resolve("me"), tmp.resolve("bob"), false);
        nas = SyncRepos.cloneOf(tmp.resolve("me"), tmp.resolve("nas.git"), true);
        remotes = List.of(
                SyncRepos.addRemote(repo(), "alice", tmp.resolve("alice")),
                SyncRepos.addRemote(repo(), "bob", tmp.resolve("bob")),
                SyncRepos.addRemote(repo(), "nas", tmp.resolve("nas.git")));
    }

    @AfterEach
    void closeRepos() {
        Stream.of(me, alice, bob, nas).forEach(Git::close);
    }

    private Repository repo() {
        return me.getRepository();
    }

    @Test
    void pushesToEveryRemoteThenFindsThemUpToDate() throws Exception {
        try (RemoteOps ops = new RemoteOps(repo(), TIMEOUT)) {
            List<PushOutcome> first = ops.pushAll(remotes, SYNC_SPECS);
            assertThat(first).extracting(PushOutcome::remote).containsExactly("alice", "bob", "nas");
            assertThat(first).extracting(PushOutcome::status).containsOnly(PushStatus.OK);
            for (Git peer : List.of(alice, bob, nas)) {
                assertThat(id(peer, "synced/main")).isEqualTo(id(me, "main"));
                assertThat(id(peer, "synced/git-annex")).isEqualTo(id(me, "git-annex"));
            }

            List<PushOutcome> again = ops.pushAll(remotes, SYNC_SPECS);
            assertThat(again).extracting(PushOutcome::status).containsOnly(PushStatus.UP_TO_DATE);
        }
    }

    @Test
    void aRemoteThatMovedAheadRejectsOnlyTheUnforcedRef() throws Exception {
        try (RemoteOps ops = new RemoteOps(repo(), TIMEOUT)) {
            ops.pushAll(remotes, SYNC_SPECS);
            ObjectId theirs = SyncRepos.commitOn(bob.getRepository(), "synced/main", "someone else synced bob");
            me.commit().setMessage("my edit").setAllowEmpty(true).call();
            SyncRepos.commitOn(repo(), "git-annex", "my git-annex update");

            List<PushOutcome> outcomes = ops.pushAll(remotes, SYNC_SPECS);

            assertThat(outcomes).extracting(PushOutcome::status)
                    .containsExactly(PushStatus.OK, PushStatus.REJECTED, PushStatus.OK);
            assertThat(outcomes.get(1).message())
                    .contains("synced/main rejected (non-fast-forward)", "fetch and merge");
            assertThat(id(bob, "synced/main")).isEqualTo(theirs);
            for (Git peer : List.of(alice, bob, nas)) {
                assertThat(id(peer, "synced/git-annex")).isEqualTo(id(me, "git-annex"));
            }
            assertThat(id(alice, "synced/main")).isEqualTo(id(me, "main"));
        }
    }

    @Test
    void aRemoteWhoseFolderIsGoneIsUnreachableAndTheOthersStillGetThePush() throws Exception {
        deleteTree(tmp.resolve("bob"));
        try (RemoteOps ops = new RemoteOps(repo(), TIMEOUT)) {
            List<PushOutcome> outcomes = ops.pushAll(remotes, SYNC_SPECS);

            assertThat(outcomes).extracting(PushOutcome::status)
                    .containsExactly(PushStatus.OK, PushStatus.UNREACHABLE, PushStatus.OK);
            assertThat(outcomes.get(1).message()).contains("does not exist", "mounted");

            List<FetchOutcome> fetched = ops.fetchAll(remotes);
            assertThat(fetched).extracting(FetchOutcome::ok).containsExactly(true, false, true);
        }
    }

    @Test
    void aHungRemoteIsAbandonedAtTheDeadlineWhileTheOthersSucceed() throws Exception {
        RemoteConfig hung = hungRemote();
        List<RemoteConfig> withHung = List.of(remotes.get(0), hung, remotes.get(2));
        try (RemoteOps ops = new RemoteOps(repo(), TIMEOUT)) {
            long start = System.nanoTime();
            List<PushOutcome> outcomes = ops.pushAll(withHung, SYNC_SPECS);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isLessThan(TIMEOUT.plus(MARGIN));
            assertThat(outcomes).extracting(PushOutcome::status)
                    .containsExactly(PushStatus.OK, PushStatus.UNREACHABLE, PushStatus.OK);
            assertThat(outcomes.get(1).message()).contains("timed out after 2 s");
            assertThat(outcomes.get(1).elapsed()).isEqualTo(TIMEOUT);
        } finally {
            SyncRepos.release(tmp.resolve("hung.git/HEAD"));
        }
    }

    @Test
    void aHungRemoteDoesNotHoldUpTheFetchFromTheOthers() throws Exception {
        RemoteConfig hung = hungRemote();
        try (RemoteOps ops = new RemoteOps(repo(), TIMEOUT)) {
            long start = System.nanoTime();
            List<FetchOutcome> outcomes = ops.fetchAll(List.of(hung, remotes.get(0)));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isLessThan(TIMEOUT.plus(MARGIN));
            assertThat(outcomes).extracting(FetchOutcome::remote).containsExactly("hung", "alice");
            assertThat(outcomes).extracting(FetchOutcome::ok).containsExactly(false, true);
            assertThat(outcomes.get(0).message()).contains("timed out after 2 s");
        } finally {
            SyncRepos.release(tmp.resolve("hung.git/HEAD"));
        }
    }

    @Test
    void fetchBringsTheRemotesAnnexAndSyncedBranches() throws Exception {
        alice.branchCreate().setName("git-annex").setStartPoint("refs/remotes/origin/git-annex").call();
        ObjectId aliceAnnex = SyncRepos.commitOn(alice.getRepository(), "git-annex", "alice's git-annex update");
        try (RemoteOps ops = new RemoteOps(repo(), TIMEOUT)) {
            ops.pushAll(remotes, SYNC_SPECS);
            List<FetchOutcome> outcomes = ops.fetchAll(remotes);

            assertThat(outcomes).extracting(FetchOutcome::ok).containsOnly(true);
            assertThat(ref("refs/remotes/alice/git-annex")).isEqualTo(aliceAnnex);
            assertThat(ref("refs/remotes/alice/main")).isEqualTo(id(me, "main"));
            assertThat(ref("refs/remotes/alice/synced/main")).isEqualTo(id(me, "main"));
            assertThat(ref("refs/remotes/nas/synced/git-annex")).isEqualTo(id(me, "git-annex"));
        }
    }

    @Test
    void pushingABranchWeDoNotHaveFailsWithoutCallingTheRemoteUnreachable() {
        try (RemoteOps ops = new RemoteOps(repo(), TIMEOUT)) {
            List<PushOutcome> outcomes = ops.pushAll(remotes.subList(0, 1), List.of("refs/heads/nope:refs/heads/nope"));

            assertThat(outcomes).singleElement().satisfies(o -> {
                assertThat(o.status()).isEqualTo(PushStatus.FAILED);
                assertThat(o.message()).contains("nope");
            });
        }
    }

    /** A bare clone registered as remote {@code hung}, whose HEAD is then turned into a FIFO that nobody writes. */
    private RemoteConfig hungRemote() throws Exception {
        Path dir = tmp.resolve("hung.git");
        SyncRepos.cloneOf(tmp.resolve("me"), dir, true).close();
        RemoteConfig hung = SyncRepos.addRemote(repo(), "hung", dir);
        SyncRepos.replaceWithFifo(dir.resolve("HEAD"));
        return hung;
    }

    private ObjectId ref(String name) throws IOException {
        return repo().exactRef(name) == null ? ObjectId.zeroId() : repo().exactRef(name).getObjectId();
    }

    private static ObjectId id(Git git, String branch) throws IOException {
        return git.getRepository().resolve("refs/heads/" + branch);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * A peer's packed-refs may name anything; JGit's fetch ignores the names git refuses ("funny refs"), so no ref
     * file is ever written outside {@code refs/remotes/NAME/}. Passed before the unsafe-path work too: kept so it
     * stays true.
     */
    @Test
    void refsAPeerNamesWithDotDotOrDotGitAreNeverWritten() throws Exception {
        ObjectId tip = id(alice, "main");
        String funny = String.join("\n", tip.name() + " refs/heads/../../../../escaped-ref",
                tip.name() + " refs/heads/synced/../../../hooks/post-commit", tip.name() + " refs/heads/.git/x",
                tip.name() + " refs/heads/a..b", tip.name() + " refs/heads/ok") + "\n";
        Files.writeString(tmp.resolve("alice/.git/packed-refs"), funny, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        try (RemoteOps ops = new RemoteOps(repo(), TIMEOUT)) {
            assertThat(ops.fetchAll(remotes.subList(0, 1))).extracting(FetchOutcome::ok).containsExactly(true);
        }
        assertThat(repo().resolve("refs/remotes/alice/ok")).isEqualTo(tip);
        assertThat(tmp.resolve("escaped-ref")).doesNotExist();
        assertThat(tmp.resolve("me/.git/hooks/post-commit")).doesNotExist();
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.map(Path::getFileName).map(Path::toString)).doesNotContain("escaped-ref", "a..b");
        }
    }
}
