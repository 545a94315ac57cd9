package io.annexsync.gitsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.GitEnvironment;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.util.SystemReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With annex-sync's JGit environment installed, neither a fetch nor a push through a path remote collects garbage:
 * JGit would run it in the fetching repository, and for a push in the receiving one from the pushing process, while
 * peers write there (a daemon killed meanwhile left {@code packed-refs.lock} and {@code gc.log.lock}). Both
 * repositories here would need a gc after two packs ({@code gc.autopacklimit=2}; {@code gc.autoDetach=false} makes it
 * run at once, in the caller).
 */
class NoAutoGcTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> SPECS = List.of("refs/heads/main:refs/heads/synced/main",
            "+refs/heads/git-annex:refs/heads/synced/git-annex");

    @TempDir
    Path tmp;

    private Git me;
    private Git peer;
    private RemoteConfig remote;

    @BeforeEach
    void twoRepositories() throws Exception {
        GitEnvironment.install(Map.of("HOME", tmp.resolve("home").toString(), "GIT_CONFIG_NOSYSTEM", "1"));
        me = SyncRepos.origin(tmp.resolve("me"));
        peer = SyncRepos.cloneOf(tmp.resolve("me"), tmp.resolve("peer"), false);
        remote = SyncRepos.addRemote(me.getRepository(), "peer", tmp.resolve("peer"));
        for (Git g : List.of(me, peer)) {
            StoredConfig c = g.getRepository().getConfig();
            c.unset("gc", null, "auto"); // the test repositories turn it off; a user's repository does not
            c.setInt("gc", null, "autopacklimit", 2);
            c.setBoolean("gc", null, "autoDetach", false);
            c.save();
        }
    }

    @AfterEach
    void close() {
        Stream.of(me, peer).forEach(Git::close);
        SystemReader.setInstance(null);
    }

    @Test
    void pushesIntoAPathRemoteNeverCollectGarbageThere() throws Exception {
        try (RemoteOps ops = new RemoteOps(me.getRepository(), TIMEOUT)) {
            for (int i = 0; i < 5; i++) {
                SyncRepos.commitOn(me.getRepository(), "git-annex", "update " + i);
                assertThat(ops.pushAll(List.of(remote), SPECS)).extracting(PushOutcome::status)
                        .containsOnly(PushStatus.OK);
            }
        }
        assertNoGc(tmp.resolve("peer/.git"), "refs/heads/synced/main");
    }

    @Test
    void fetchesNeverCollectGarbageInTheFetchingRepository() throws Exception {
        try (RemoteOps ops = new RemoteOps(me.getRepository(), TIMEOUT)) {
            for (int i = 0; i < 5; i++) {
                SyncRepos.commitOn(peer.getRepository(), "main", "their change " + i);
                assertThat(ops.fetchAll(List.of(remote))).extracting(FetchOutcome::ok).containsOnly(true);
            }
        }
        assertNoGc(tmp.resolve("me/.git"), "refs/remotes/peer/main");
    }

    /** No gc ran in {@code gitDir}: no bitmap (only gc writes one), {@code ref} still a loose ref, no gc log. */
    private static void assertNoGc(Path gitDir, String ref) throws IOException {
        assertThat(gitDir.resolve("gc.log")).doesNotExist();
        assertThat(gitDir.resolve("gc.log.lock")).doesNotExist();
        assertThat(gitDir.resolve(ref)).as("a loose ref, never packed by a gc").isRegularFile();
        try (Stream<Path> files = Files.list(gitDir.resolve("objects/pack"))) {
            assertThat(files.map(p -> p.getFileName().toString())).as("packs written by a gc")
                    .noneMatch(n -> n.endsWith(".bitmap"));
        }
    }
}
