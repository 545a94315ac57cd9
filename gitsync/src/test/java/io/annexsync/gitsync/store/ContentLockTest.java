package io.annexsync.gitsync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.key.Backend;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentLockTest {
    @TempDir
    Path tmp;

    @Test
    void sharedLocksCoexistAcrossThreadsAndExcludeRemoval() throws Exception {
        Path gitDir = Files.createDirectories(tmp.resolve("r/.git"));
        ObjectStore store = new ObjectStore(gitDir, StoreOptions.DEFAULT);
        Key key = ingest(store, "locked content");
        Path lck = ContentLocks.lockFileOf(store.objectPath(key));
        ExecutorService other = Executors.newSingleThreadExecutor(r -> new Thread(r, "lock-test-other"));
        try (ContentLock mine = store.lockShared(key)) {
            assertThat(lck).exists();
            assertThat(ObjectStoreTest.mode(lck.getParent())).isEqualTo(0555);
            ContentLock theirs = CompletableFuture.supplyAsync(() -> lockShared(store, key), other)
                    .get(10, TimeUnit.SECONDS);
            assertThat(theirs.exclusive()).isFalse();
            assertThat(store.remove(key)).isEqualTo(RemoveOutcome.LOCKED);
            assertThatThrownBy(() -> store.lockExclusive(key)).isInstanceOf(RepoException.class);
            theirs.close();
            assertThat(store.remove(key)).isEqualTo(RemoveOutcome.LOCKED);
        } finally {
            other.shutdownNow();
        }
        assertThat(lck).doesNotExist();
        assertThat(store.remove(key)).isEqualTo(RemoveOutcome.REMOVED);
        assertThat(store.contains(key)).isFalse();
        assertThat(gitDir.resolve("annex/objects")).isEmptyDirectory();
        assertThat(store.remove(key)).isEqualTo(RemoveOutcome.MISSING);
    }

    @Test
    void exclusiveLockExcludesSharedInTheSameJvm() throws Exception {
        ObjectStore store = new ObjectStore(Files.createDirectories(tmp.resolve("r/.git")), StoreOptions.DEFAULT);
        Key key = ingest(store, "exclusive");
        try (ContentLock removal = store.lockExclusive(key)) {
            assertThat(removal.exclusive()).isTrue();
            assertThatThrownBy(() -> store.lockShared(key)).isInstanceOf(RepoException.class)
                    .hasMessageContaining("removing");
        }
        try (ContentLock shared = store.lockShared(key)) {
            assertThat(shared.key()).isEqualTo(key);
        }
    }

    @Test
    void aSecondJvmsSharedLockStopsRemoval() throws Exception {
        Path gitDir = Files.createDirectories(tmp.resolve("r/.git"));
        ObjectStore store = new ObjectStore(gitDir, StoreOptions.DEFAULT);
        Key key = ingest(store, "cross process");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolderMain.class.getName(), gitDir.toString(), key.serialize()).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("locked");
            assertThat(store.remove(key)).isEqualTo(RemoveOutcome.LOCKED);
            try (ContentLock alsoShared = store.lockShared(key)) {
                assertThat(alsoShared.exclusive()).isFalse();
            }
            assertThat(ContentLocks.lockFileOf(store.objectPath(key))).as("still used by the child").exists();
            child.getOutputStream().close();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(store.remove(key)).isEqualTo(RemoveOutcome.REMOVED);
    }

    @Test
    void gitAnnexRespectsOurSharedLockAndSeesOurObjects() throws Exception {
        GitAnnex.assumeAvailable();
        GitAnnex oracle = new GitAnnex(tmp.resolve("home"));
        Path repo = oracle.initAnnexRepo(tmp.resolve("annexed"));
        ObjectStore store = new ObjectStore(repo.resolve(".git"), StoreOptions.DEFAULT);
        Key key = ingest(store, "seen by git-annex");
        String location = oracle.annex(repo, "contentlocation", key.serialize()).strip();
        assertThat(repo.resolve(location)).isEqualTo(store.objectPath(key));
        try (ContentLock lock = store.lockShared(key)) {
            GitAnnex.Outcome drop = oracle.tryAnnex(repo, "dropkey", "--force", key.serialize());
            assertThat(drop.exitCode()).as(drop.out() + drop.err()).isNotZero();
            assertThat(store.contains(key)).isTrue();
        }
        oracle.annex(repo, "dropkey", "--force", key.serialize());
        assertThat(store.contains(key)).isFalse();
    }

    private static ContentLock lockShared(ObjectStore store, Key key) {
        try {
            return store.lockShared(key);
        } catch (RepoException e) {
            throw new IllegalStateException(e);
        }
    }

    private Key ingest(ObjectStore store, String content) throws IOException, RepoException {
        Path f = Files.writeString(tmp.resolve("src-" + content.hashCode()), content);
        return store.ingest(f, Backend.SHA256E, "c.txt", IngestMode.COPY);
    }
}
