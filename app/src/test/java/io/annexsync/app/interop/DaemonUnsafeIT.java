package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What makes going on unsafe stops a daemon, with a clear message, and nothing else does: its lock file deleted (a
 * second daemon could start in the folder) stops it; the next daemon starts normally.
 */
class DaemonUnsafeIT {
    @TempDir
    Path tmp;

    private DaemonFolders f;

    @BeforeEach
    void folders() {
        f = new DaemonFolders(tmp, 29);
    }

    @AfterEach
    void stopDaemons() throws InterruptedException {
        f.close();
    }

    @Test
    void aDaemonWhoseLockFileWasDeletedStopsSayingWhy() throws Exception {
        Path a = f.folder("a");
        Daemon d = f.start("a", a);
        Files.writeString(a.resolve("kept.txt"), "committed before the stop\n");
        await("kept.txt committed").atMost(Duration.ofSeconds(60))
                .until(() -> Oracle.committed(f.tools(), a, "kept.txt"));
        Path lock = a.resolve(".git/annex-sync/daemon.lock");
        Files.delete(lock);

        await("the daemon stopped").atMost(Duration.ofSeconds(60)).until(() -> !d.alive());
        f.forget(d);
        assertThat(d.output()).contains("the daemon lock " + lock + " was deleted, so another daemon could start "
                + "in this folder; stopping the assistant");
        Daemon again = f.start("a", a);
        assertThat(again.alive()).isTrue();
        assertThat(Cli.ok(a, "status").out()).contains("assistant: running (pid " + again.pid() + ")");
    }
}
