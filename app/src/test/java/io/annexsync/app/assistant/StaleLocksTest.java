package io.annexsync.app.assistant;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.sync.RefWriters;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which lock files {@link StaleLocks} removes, by their age and by the processes that have the repository open. */
class StaleLocksTest {
    @TempDir
    Path tmp;
    private Path gitDir;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void makeRepository() throws IOException {
        gitDir = Files.createDirectories(tmp.resolve("repo/.git"));
        Files.createDirectories(gitDir.resolve("refs/heads"));
        Files.createDirectories(gitDir.resolve("objects/pack"));
        Files.writeString(gitDir.resolve("HEAD"), "ref: refs/heads/main\n");
        Files.writeString(gitDir.resolve("index"), "DIRC");
        Files.writeString(gitDir.resolve("objects/pack/pack-1.pack"), "PACK");
    }

    private Path lock(String relative, Duration age) throws IOException {
        Path lock = gitDir.resolve(relative);
        Files.writeString(lock, "");
        Files.setLastModifiedTime(lock, FileTime.from(now.minus(age)));
        return lock;
    }

    /** Starts a process that holds {@code file} open, and returns once it has. */
    private static Process holdOpen(Path file) throws IOException {
        Process p = new ProcessBuilder("bash", "-c", "exec 3<\"$0\"; echo ready; read", file.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        return p;
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void knowsTheFilesOnlyACommandWorkingInTheRepositoryOpens() {
        for (String working : new String[] {"index", "index.lock", "HEAD.lock", "packed-refs.lock",
            "refs/heads/main.lock", "annex-sync/queue.db", "annex/index", "annex/keysdb/db", "annex/keysdb.lck"}) {
            assertThat(StaleLocks.isWorkingFile(working)).as(working).isTrue();
        }
        for (String peer : new String[] {"HEAD", "config", "packed-refs", "refs/heads/main", "objects/ab/cdef",
            "objects/pack/pack-1.pack", "annex/objects/xy/zw/KEY/KEY", "annex/journal/uuid.log",
            "annex-syncx", "indexes", "annex/index2"}) {
            assertThat(StaleLocks.isWorkingFile(peer)).as(peer).isFalse();
        }
    }

    @Test
    void removesOldLocksWhenNoOtherProcessUsesTheRepository() throws IOException {
        Path index = lock("index.lock", Duration.ofSeconds(10));
        Path ref = lock("refs/heads/x.lock", Duration.ofSeconds(3));
        Path head = lock("HEAD.lock", Duration.ofMinutes(5));

        assertThat(StaleLocks.clean(gitDir, now)).containsExactlyInAnyOrder(index, ref, head);

        assertThat(index).doesNotExist();
        assertThat(ref).doesNotExist();
        assertThat(head).doesNotExist();
        assertThat(gitDir.resolve("index")).exists();
        assertThat(gitDir.resolve("HEAD")).exists();
    }

    @Test
    void keepsALockYoungerThanTwoSeconds() throws IOException {
        Path young = lock("index.lock", Duration.ofMillis(1500));
        Path old = lock("refs/heads/x.lock", Duration.ofSeconds(10));

        assertThat(StaleLocks.clean(gitDir, now)).containsExactly(old);

        assertThat(young).exists();
        assertThat(StaleLocks.clean(gitDir, now.plusSeconds(1))).containsExactly(young);
    }

    @Test
    void keepsOldLocksWhileAnotherProcessHasTheIndexOpen() throws IOException, InterruptedException {
        Path index = lock("index.lock", Duration.ofMinutes(1));
        Path ref = lock("refs/heads/x.lock", Duration.ofMinutes(1));
        Process git = holdOpen(gitDir.resolve("index"));
        try {
            assertThat(StaleLocks.otherProcessUses(gitDir)).isTrue();
            assertThat(StaleLocks.clean(gitDir, now)).isEmpty();
            assertThat(index).exists();
            assertThat(ref).exists();
        } finally {
            kill(git);
        }
        assertThat(StaleLocks.clean(gitDir, now)).containsExactlyInAnyOrder(index, ref);
    }

    @Test
    void aPeerReadingTheObjectsDoesNotKeepALock() throws IOException, InterruptedException {
        Path index = lock("index.lock", Duration.ofMinutes(1));
        Process peer = holdOpen(gitDir.resolve("objects/pack/pack-1.pack"));
        try {
            assertThat(StaleLocks.otherProcessUses(gitDir)).isFalse();
            assertThat(StaleLocks.clean(gitDir, now)).containsExactly(index);
        } finally {
            kill(peer);
        }
    }

    @Test
    void removesTheGcLogLockOfAGcThatWasKilled() throws IOException {
        Path gc = lock("gc.log.lock", Duration.ofMinutes(2));
        Path packed = lock("packed-refs.lock", Duration.ofMinutes(2));

        assertThat(StaleLocks.clean(gitDir, now)).containsExactlyInAnyOrder(gc, packed);
    }

    @Test
    void keepsTheLocksOfAPeerThatHoldsTheWriterMarkAndRemovesThemOnceItIsKilled() throws Exception {
        Path packed = lock("packed-refs.lock", Duration.ofMinutes(1));
        Files.createDirectories(gitDir.resolve("annex-sync"));
        Process peer = holdWriterMark(gitDir.resolve("annex-sync/writers.lck"));
        try {
            assertThat(RefWriters.anyWriter(gitDir)).isTrue();
            StaleLocks.Outcome o = StaleLocks.cleanAll(gitDir, now);
            assertThat(o.removed()).isEmpty();
            assertThat(o.kept()).singleElement().asString().contains("packed-refs.lock", "60 s old", "not removed");
            assertThat(packed).exists();
        } finally {
            kill(peer); // kill -9: the fcntl lock goes with it
        }
        assertThat(RefWriters.anyWriter(gitDir)).isFalse();
        assertThat(StaleLocks.clean(gitDir, now)).containsExactly(packed);
    }

    @Test
    void removesTheLocksOnlyThisRepositoryWritesWhileAPeerPushesIntoIt() throws Exception {
        Files.createDirectories(gitDir.resolve("refs/heads/synced"));
        Files.createDirectories(gitDir.resolve("annex-sync/partial"));
        Path index = lock("index.lock", Duration.ofMinutes(1));
        Path head = lock("HEAD.lock", Duration.ofMinutes(1));
        Path main = lock("refs/heads/main.lock", Duration.ofMinutes(1));
        Path annex = lock("refs/heads/git-annex.lock", Duration.ofMinutes(1));
        Path synced = lock("refs/heads/synced/main.lock", Duration.ofMinutes(1));
        Path packed = lock("packed-refs.lock", Duration.ofMinutes(1));
        Process peer = holdWriterMark(gitDir.resolve("annex-sync/writers.lck"));
        Path partial = Files.writeString(gitDir.resolve("annex-sync/partial/lck.KEY"), "");
        Process upload = holdOpen(partial);
        try {
            StaleLocks.Outcome o = StaleLocks.cleanAll(gitDir, now);
            assertThat(o.removed()).containsExactlyInAnyOrder(index, head, main, annex);
            assertThat(synced).exists();
            assertThat(packed).exists();
            assertThat(o.kept()).hasSize(2);
        } finally {
            kill(peer);
            kill(upload);
        }
        assertThat(StaleLocks.clean(gitDir, now)).containsExactlyInAnyOrder(synced, packed);
    }

    @Test
    void keepsTheLocksOfACommandWorkingInTheRepositoryEvenWithoutAWriterMark() throws Exception {
        Path main = lock("refs/heads/main.lock", Duration.ofMinutes(1));
        Files.createDirectories(gitDir.resolve("annex-sync"));
        Process command = holdOpen(Files.writeString(gitDir.resolve("annex-sync/state.db"), ""));
        try {
            assertThat(StaleLocks.clean(gitDir, now)).isEmpty();
            assertThat(main).exists();
        } finally {
            kill(command);
        }
    }

    @Test
    void keepsTheLocksWhileThisProcessWritesTheRefs() throws IOException {
        Files.createDirectories(gitDir.resolve("refs/heads/synced"));
        Path ref = lock("refs/heads/synced/main.lock", Duration.ofSeconds(10));
        try (RefWriters.Mark mark = RefWriters.hold(gitDir)) {
            assertThat(StaleLocks.cleanAll(gitDir, now).removed()).isEmpty();
            assertThat(ref).exists();
        }
        assertThat(StaleLocks.clean(gitDir, now)).containsExactly(ref);
    }

    /** Starts a process that holds a shared fcntl lock on {@code file}, as a peer's fetch or push does. */
    private static Process holdWriterMark(Path file) throws IOException {
        Process p = new ProcessBuilder("python3", "-c", "import fcntl, sys\n"
                + "f = open(sys.argv[1], 'a+')\nfcntl.lockf(f, fcntl.LOCK_SH)\nprint('ready', flush=True)\n"
                + "sys.stdin.read()\n", file.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        return p;
    }
}
