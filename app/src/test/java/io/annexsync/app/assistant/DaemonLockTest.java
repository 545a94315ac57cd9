package io.annexsync.app.assistant;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-daemon-per-folder lock: {@link DaemonLock} in this process, and as other processes see it. */
class DaemonLockTest {
    /** Takes the lock as a daemon would (fcntl, exclusive), writes its pid, says so and waits for its stdin to end. */
    private static final String HOLDER = """
            import fcntl, os, sys
            f = open(sys.argv[1], 'a')
            fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            with open(sys.argv[2], 'w') as p:
                p.write(str(os.getpid()) + '\\n')
            print('locked', flush=True)
            sys.stdin.read()
            """;
    /** Asks for a shared fcntl lock without waiting, as {@link DaemonLock#running} does, and says whether it got it. */
    private static final String PROBE = """
            import fcntl, sys
            f = open(sys.argv[1], 'r')
            try:
                fcntl.lockf(f, fcntl.LOCK_SH | fcntl.LOCK_NB)
                print('free')
            except OSError:
                print('held')
            """;

    @TempDir
    Path tmp;
    private DaemonFiles files;
    private Process child;

    @BeforeEach
    void makeFiles() {
        files = DaemonFiles.of(tmp.resolve(".git"));
    }

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private String probeFromAnotherProcess() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", "-c", PROBE, files.lock().toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void acquireWritesThisProcessPidAndHoldsTheLockForOtherProcesses() throws Exception {
        Optional<DaemonLock> lock = DaemonLock.acquire(files);
        try {
            assertThat(lock).isPresent();
            long self = ProcessHandle.current().pid();
            assertThat(Files.readString(files.pid())).isEqualTo(self + "\n");
            assertThat(DaemonLock.readPid(files.pid())).hasValue(self);
            assertThat(probeFromAnotherProcess()).isEqualTo("held");
        } finally {
            lock.orElseThrow().close();
        }
    }

    @Test
    void aSecondAcquireInTheSameProcessGetsNothingAndKeepsTheFirstLock() throws Exception {
        DaemonLock first = DaemonLock.acquire(files).orElseThrow();
        try {
            assertThat(DaemonLock.acquire(files)).isEmpty();
            assertThat(probeFromAnotherProcess()).as("the lock as another process sees it").isEqualTo("held");
            assertThat(Files.readString(files.pid())).isEqualTo(ProcessHandle.current().pid() + "\n");
        } finally {
            first.close();
        }
    }

    @Test
    void closeRemovesThePidFileAndFreesTheLock() throws Exception {
        DaemonLock.acquire(files).orElseThrow().close();

        assertThat(files.pid()).doesNotExist();
        assertThat(DaemonLock.running(files)).isEmpty();
        assertThat(probeFromAnotherProcess()).isEqualTo("free");
        DaemonLock again = DaemonLock.acquire(files).orElseThrow();
        again.close();
    }

    @Test
    void nothingRunsWhenThereIsNoLockFile() throws IOException {
        assertThat(DaemonLock.running(files)).isEmpty();

        Files.createDirectories(files.dir());
        Files.writeString(files.pid(), "not a pid\n");
        assertThat(DaemonLock.readPid(files.pid())).isEmpty();
        assertThat(DaemonLock.running(files)).isEmpty();
    }

    @Test
    void seesTheDaemonOfAnotherProcessUntilItIsKilled() throws Exception {
        Files.createDirectories(files.dir());
        child = new ProcessBuilder("python3", "-c", HOLDER, files.lock().toString(), files.pid().toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("locked");
        long childPid = DaemonLock.readPid(files.pid()).orElseThrow();

        assertThat(DaemonLock.running(files)).isEqualTo(OptionalLong.of(childPid));
        assertThat(DaemonLock.acquire(files)).as("a second daemon").isEmpty();
        assertThat(DaemonLock.running(files)).isEqualTo(OptionalLong.of(childPid));

        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(DaemonLock.running(files)).isEmpty();
        DaemonLock next = DaemonLock.acquire(files).orElseThrow(); // a killed daemon never blocks the next
        assertThat(DaemonLock.readPid(files.pid())).hasValue(ProcessHandle.current().pid());
        next.close();
    }
}
