package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync} with one healthy remote, one that is gone and one that hangs (its {@code HEAD} is a FIFO nobody
 * writes, so opening it blocks): the healthy remote gets its push within the timeout, the other two are reported
 * and owed, and {@code status} lists them.
 */
class SyncUnreachableIT {
    @TempDir
    Path tmp;

    @Test
    void aHungAndAGoneRemoteNeverDelayTheOthersAndArePushedLater() throws Exception {
        GitAnnex tools = new GitAnnex(tmp.resolve("home"));
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo);
        Files.writeString(repo.resolve("a.txt"), "some content\n");
        Cli.ok(repo, "init", "repo");
        Oracle.identity(tools, repo);
        Cli.ok(repo, "add", ".");
        Cli.ok(repo, "commit", "-m", "one");
        for (String name : new String[] {"good", "gone", "hung"}) {
            tools.git(tmp, "clone", "-q", "--bare", repo.toString(), tmp.resolve(name + ".git").toString());
            Cli.ok(repo, "remote", "add", name, tmp.resolve(name + ".git").toString());
        }
        deleteTree(tmp.resolve("gone.git"));
        Path fifo = tmp.resolve("hung.git/HEAD");
        Files.delete(fifo);
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).as("mkfifo").isTrue();
        Files.writeString(repo.resolve("b.txt"), "more\n");
        try {
            long start = System.nanoTime();
            Cli.Run sync = Cli.run(repo, "sync", "--timeout", "3");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(sync.exitCode()).as(sync.toString()).isEqualTo(1);
            assertThat(took).as("fetch and push each wait at most the timeout").isLessThan(Duration.ofSeconds(20));
            assertThat(sync.out()).containsPattern("good\\s+ok\\s+ok")
                    .containsPattern("gone\\s+failed\\s+unreachable")
                    .containsPattern("hung\\s+failed\\s+unreachable");
            assertThat(tools.git(tmp.resolve("good.git"), "log", "--format=%s", "-1", "synced/master").strip())
                    .startsWith("annex-sync in repo");
            assertThat(Cli.ok(repo, "status").out()).contains("push owed to gone").contains("push owed to hung");
        } finally {
            FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
