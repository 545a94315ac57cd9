package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FIFOs and sockets in a folder, which git and git-annex ignore: {@code add .} (which hung forever opening the FIFO to
 * hash it) finishes, adds the regular files beside them, says which it skipped and exits 0, as
 * {@code git annex add .} does; {@code status} lists them as ignored; the daemon (whose repository thread hung the
 * same way, so that nothing was committed any more and {@code assistant --stop} gave up) commits the files written
 * after a FIFO, lists the FIFO as ignored, and stops when asked. Each command runs in a JVM of its own, bounded, so a
 * hang fails the test instead of stopping the build.
 */
class SpecialFilesIT {
    private static final String FIFO_SKIPPED = "skipped: it is a FIFO, not a regular file";

    @TempDir
    Path tmp;

    private GitAnnex tools;
    private final List<ServerSocketChannel> sockets = new ArrayList<>();

    @BeforeEach
    void tools() {
        tools = new GitAnnex(tmp.resolve("home"));
    }

    @AfterEach
    void closeSockets() throws IOException {
        for (ServerSocketChannel s : sockets) {
            s.close();
        }
    }

    @Test
    void addOfAFolderWithAFifoAndASocketAddsTheRegularFilesAndSkipsTheOthers() throws Exception {
        Path dir = repo("plain");
        Files.writeString(dir.resolve("a.txt"), "a\n");
        mkfifo(dir.resolve("pipe"));
        socket(dir.resolve("sock"));
        Files.createDirectories(dir.resolve("sub"));
        mkfifo(dir.resolve("sub/deep-pipe"));
        Files.writeString(dir.resolve("sub/b.txt"), "b\n");

        Cli.Run add = cli("add", dir, "add", ".");
        assertThat(add.exitCode()).as("%s", add).isZero();
        assertThat(add.out()).contains("add a.txt ok", "add sub/b.txt ok");
        assertThat(add.err()).contains("add pipe " + FIFO_SKIPPED, "add sub/deep-pipe " + FIFO_SKIPPED,
                "add sock skipped: it is a socket, not a regular file").doesNotContain("Exception");
        assertThat(tools.git(dir, "ls-files")).isEqualTo("a.txt\nsub/b.txt\n");

        Cli.Run named = cli("add-pipe", dir, "add", "pipe");
        assertThat(named.exitCode()).as("a FIFO named on the command line: %s", named).isZero();
        assertThat(named.err()).contains("add pipe " + FIFO_SKIPPED);

        Cli.Run status = cli("status", dir, "status");
        assertThat(status.exitCode()).as("%s", status).isZero();
        assertThat(status.out()).contains("! pipe (ignored: not a regular file", "! sock (ignored",
                "! sub/deep-pipe (ignored").doesNotContain("? pipe");
        Cli.ok(dir, "commit", "-m", "regular files");
        assertThat(tools.git(dir, "status", "--porcelain")).as("git sees nothing either").isEmpty();
    }

    @Test
    void aTrackedFileReplacedByAFifoIsNeitherReadNorDeleted() throws Exception {
        Path dir = repo("tracked");
        Files.writeString(dir.resolve("was-a-file"), "content\n");
        Cli.ok(dir, "add", "was-a-file");
        Cli.ok(dir, "commit", "-m", "a file");
        Files.delete(dir.resolve("was-a-file"));
        mkfifo(dir.resolve("was-a-file"));

        Cli.Run sync = cli("sync", dir, "sync");
        assertThat(sync.exitCode()).as("%s", sync).isZero();
        assertThat(tools.git(dir, "ls-tree", "-r", "--name-only", "HEAD")).isEqualTo("was-a-file\n");
        assertThat(cli("status", dir, "status").out()).contains("! was-a-file (ignored");
    }

    @Test
    void theDaemonSkipsAFifoCommitsTheFilesWrittenAfterItListsItAndStops() throws Exception {
        Path dir;
        try (DaemonFolders folders = new DaemonFolders(tmp.resolve("daemon"), 17)) {
            dir = folders.folder("watched");
            Daemon daemon = folders.start("watched", dir);
            mkfifo(dir.resolve("pipe"));
            socket(dir.resolve("sock"));
            Files.writeString(dir.resolve("after.txt"), "written after the FIFO\n");
            await("after.txt committed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Oracle.committed(tools, dir, "after.txt"));
            await("the FIFO listed as ignored").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> ignored(daemon).containsAll(List.of("pipe", "sock")));
            Files.writeString(dir.resolve("later.txt"), "and later\n");
            await("later.txt committed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Oracle.committed(tools, dir, "later.txt"));
            assertThat(cli("status", dir, "status").out()).contains("  ignored: pipe: it is a FIFO, not a regular",
                    "  ignored: sock: it is a socket", "! pipe (ignored");
            assertThat(Files.readAllLines(dir.resolve(".git/annex-sync/daemon.log")).stream()
                    .filter(l -> l.contains("ignored: pipe")).count()).as("logged once: %s", daemon.output())
                    .isEqualTo(1);

            Cli.Run stop = cli("stop", dir, "assistant", "--stop");
            assertThat(stop.exitCode()).as("%s\n%s", stop, daemon.output()).isZero();
            assertThat(daemon.alive()).isFalse();
            folders.forget(daemon);
            assertThat(daemon.output()).doesNotContain("Exception");
        }
        assertThat(tools.git(dir, "ls-files")).isEqualTo("after.txt\nlater.txt\n");
    }

    private static List<String> ignored(Daemon daemon) {
        List<String> paths = new ArrayList<>();
        daemon.status().filter(s -> s.has("ignored")).ifPresent(s -> {
            for (JsonElement e : s.getAsJsonArray("ignored")) {
                paths.add(e.getAsJsonObject().get("file").getAsString());
            }
        });
        return paths;
    }

    private Path repo(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Cli.ok(dir, "init", name);
        Oracle.identity(tools, dir);
        return dir;
    }

    /** {@code annex-sync -C dir args} in a JVM of its own, ended after {@link CliProcess#PATIENCE} at most. */
    private Cli.Run cli(String name, Path dir, String... args) throws IOException, InterruptedException {
        return CliProcess.run(tools, tmp.resolve("logs"), name + "-" + System.nanoTime(), dir, Map.of(), args);
    }

    private static void mkfifo(Path path) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor()).isZero();
    }

    /** A listening Unix socket at {@code path}, open until the test ends. */
    private void socket(Path path) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        sockets.add(s);
        s.bind(UnixDomainSocketAddress.of(path));
    }
}
