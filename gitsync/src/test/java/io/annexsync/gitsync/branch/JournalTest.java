package io.annexsync.gitsync.branch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JournalTest {
    @TempDir
    Path annexDir;

    @ParameterizedTest
    @CsvSource({
        "uuid.log, uuid.log",
        "e79/8df/SHA256E-s5--f2c8.txt.log, e79_8df_SHA256E-s5--f2c8.txt.log",
        "a_b/c__d.log, a__b_c____d.log",
        "annex-sync/x_.log, annex-sync_x__.log",
    })
    void namesFilesByTheirBranchPathAndDecodesThemBack(String branchPath, String fileName) {
        assertThat(Journal.encode(branchPath)).isEqualTo(fileName);
        assertThat(Journal.decode(fileName)).isEqualTo(branchPath);
    }

    @Test
    void writesReadsListsAndDeletesWholeFiles() throws Exception {
        Journal journal = new Journal(annexDir);
        journal.write("a_b/c.log", "1s 1 U\n".getBytes(UTF_8));
        assertThat(annexDir.resolve("journal/a__b_c.log")).hasContent("1s 1 U");
        assertThat(journal.paths()).containsExactly("a_b/c.log");
        assertThat(journal.read("a_b/c.log"))
                .hasValueSatisfying(b -> assertThat(b).asString(UTF_8).isEqualTo("1s 1 U\n"));
        assertThat(Files.exists(annexDir.resolve("journal.lck"))).isTrue();
        assertThat(annexDir.resolve("othertmp")).isEmptyDirectory();

        assertThat(journal.deleteIfUnchanged("a_b/c.log", "other".getBytes(UTF_8))).isFalse();
        assertThat(journal.deleteIfUnchanged("a_b/c.log", "1s 1 U\n".getBytes(UTF_8))).isTrue();
        assertThat(journal.paths()).isEmpty();
        assertThat(journal.read("a_b/c.log")).isEmpty();
    }

    /**
     * fcntl locks belong to processes: this JVM holds {@code other} on one thread while another thread waits for the
     * journal lock, which a second process holds while it waits for {@code other}. The kernel refuses the wait as a
     * deadlock ({@code EDEADLK}), though the thread holding {@code other} lets it go a moment later; the journal asks
     * again and gets the lock once the other process is done.
     */
    @Test
    void aDeadlockTheKernelSeesBetweenProcessesIsWaitedOut() throws Exception {
        Journal journal = new Journal(annexDir);
        journal.write("x.log", new byte[] {'1'}); // makes journal.lck
        Path other = Files.createFile(annexDir.resolve("other.lck"));
        try (FileChannel ch = FileChannel.open(other, StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            Process child = new ProcessBuilder("python3", "-c", String.join("\n",
                    "import errno, fcntl, sys, time",
                    "j = open(sys.argv[1], 'a'); fcntl.lockf(j, fcntl.LOCK_EX)",
                    "print('holding', flush=True)",
                    "o = open(sys.argv[2], 'a')",
                    "while True:",
                    "    try:",
                    "        fcntl.lockf(o, fcntl.LOCK_EX); break",
                    "    except OSError as e:",
                    "        if e.errno != errno.EDEADLK: raise",
                    "        time.sleep(0.01)",
                    "print('done', flush=True)"), annexDir.resolve("journal.lck").toString(), other.toString())
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
            assertThat(out.readLine()).isEqualTo("holding");
            await("the child waiting for the lock this JVM holds").atMost(Duration.ofSeconds(30))
                    .until(() -> waitsForALock(child.pid()));
            ExecutorService writer = Executors.newSingleThreadExecutor();
            try {
                Future<?> write = writer.submit(() -> {
                    journal.write("x.log", new byte[] {'2'});
                    return null;
                });
                // the writer now closes the cycle: the child waits for `other` (held here), the writer for the
                // journal (held by the child); the kernel refuses the writer's wait, again and again
                assertThat(write).as("the writer waits while the child holds the journal lock")
                        .failsWithin(Duration.ofMillis(300));
                held.release();
                write.get(30, TimeUnit.SECONDS);
                assertThat(out.readLine()).isEqualTo("done");
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                writer.shutdownNow();
                child.destroyForcibly();
            }
        }
        assertThat(journal.read("x.log")).hasValueSatisfying(b -> assertThat(b).containsExactly('2'));
    }

    /** Whether {@code /proc/locks} shows process {@code pid} blocked waiting for a lock ({@code ->} lines). */
    private static boolean waitsForALock(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/locks")).stream()
                .anyMatch(l -> l.contains("->") && l.contains(" " + pid + " "));
    }

    @Test
    void lockIsReentrantWithinOneThread() throws Exception {
        Journal journal = new Journal(annexDir);
        String result = journal.locked(() -> {
            journal.write("x.log", new byte[] {'x'});
            return journal.locked(() -> "inner");
        });
        assertThat(result).isEqualTo("inner");
    }
}
