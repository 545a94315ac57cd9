package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.annexsync.app.interop.HostileCommits.Blob;
import io.annexsync.app.interop.HostileCommits.Folder;
import io.annexsync.app.interop.HostileCommits.Plant;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.FileMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon meets a peer's commit crafted to plant a git hook and an {@code assistant.conf} in {@code .git}: it
 * writes neither, keeps running, shows the remote and commit in {@code daemon.json}, logs the paths once, and keeps
 * syncing good changes both ways; real git-annex's fsck passes afterwards.
 */
class UnsafeTreeDaemonIT {
    static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private DaemonFolders f;
    private GitAnnex tools;

    @BeforeEach
    void folders() {
        Oracle.assumeGitAnnex();
        f = new DaemonFolders(tmp, 13);
        tools = f.tools();
    }

    @AfterEach
    void stopDaemons() throws InterruptedException {
        f.close();
    }

    @Test
    void theDaemonWritesNoPlantedHookOrConfigKeepsRunningAndKeepsSyncing() throws Exception {
        Path ours = f.folder("ours");
        Files.writeString(ours.resolve("shared.txt"), "shared\n");
        Cli.ok(ours, "add", ".");
        Cli.ok(ours, "commit", "-m", "start");
        // listen = off given here, so the fixture adds nothing to the file this test compares
        String conf = "[assistant]\n\tonchange = \"cat >> " + tmp.resolve("changes.txt") + "\"\n\tlisten = off\n";
        DaemonFolders.config(ours, conf);
        Path hostile = tmp.resolve("hostile");
        tools.git(tmp, "clone", "-q", ours.toString(), hostile.toString());
        Oracle.identity(tools, hostile);
        tools.annex(hostile, "init", "hostile");
        DaemonFolders.link(ours, "hostile", hostile);
        String bad = HostileCommits.commit(hostile, "HEAD", "refs/heads/synced/master", "plant", plants());

        Daemon d = f.start("ours", ours);

        await("the good file of the hostile commit").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(ours.resolve("good.txt")));
        assertNothingPlanted(ours, conf);
        await("daemon.json names the remote and commit").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> unsafe(d).isPresent());
        JsonObject unsafe = unsafe(d).orElseThrow();
        assertThat(unsafe.get("remote").getAsString()).isEqualTo("hostile");
        assertThat(unsafe.get("commit").getAsString()).isEqualTo(bad);
        assertThat(unsafe.getAsJsonArray("paths").toString()).contains(".git/hooks/post-commit")
                .contains(".git/annex-sync/assistant.conf");
        assertNothingPlanted(ours, conf);
        assertThat(Cli.ok(ours, "status").out()).contains("unsafe paths left out of hostile").contains(bad);

        String later = HostileCommits.commit(hostile, bad, "refs/heads/later", "good change on top",
                List.of(new Blob("later.txt", "later\n", FileMode.REGULAR_FILE)));
        tools.git(hostile, "push", "-q", "origin", "+" + later + ":refs/heads/synced/master");
        await("the good change pushed on top").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(ours.resolve("later.txt")));
        Files.writeString(ours.resolve("from-ours.txt"), "ours\n");
        await("our change reaches the peer").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> tools.tryGit(hostile, "cat-file", "-e", "refs/heads/synced/master:from-ours.txt")
                        .exitCode() == 0);

        assertThat(d.alive()).isTrue();
        assertThat(d.status().orElseThrow().get("state").getAsString()).isEqualTo("running");
        assertNothingPlanted(ours, conf);
        String log = Files.readString(ours.resolve(".git/annex-sync/daemon.log"));
        assertThat(log.split("left out unsafe path .git/hooks/post-commit", -1)).as("logged once:\n%s", log)
                .hasSize(2);
        assertThat(Files.readString(tmp.resolve("changes.txt"))).as("the folder's own onchange ran")
                .contains("later.txt");
        d.stop();
        f.forget(d);
        tools.git(ours, "commit", "-q", "--allow-empty", "-m", "a plain git commit runs the hooks");
        assertThat(tmp.resolve("hook-ran")).doesNotExist();
        Oracle.assertGitAnnexFsckPasses(tools, ours);
    }

    private List<Plant> plants() {
        String hook = "#!/bin/sh\ntouch " + tmp.resolve("hook-ran") + "\n";
        String planted = "[assistant]\n\tonchange = touch " + tmp.resolve("onchange-ran") + "\n";
        return List.of(new Blob("good.txt", "a good change\n", FileMode.REGULAR_FILE),
                new Folder(".git", Map.of("hooks/post-commit", hook, "annex-sync/assistant.conf", planted),
                        FileMode.EXECUTABLE_FILE),
                new Blob("../escape", "x\n", FileMode.REGULAR_FILE));
    }

    private void assertNothingPlanted(Path ours, String conf) throws IOException {
        assertThat(ours.resolve(".git/hooks/post-commit")).doesNotExist();
        assertThat(Files.readString(ours.resolve(".git/annex-sync/assistant.conf"))).isEqualTo(conf);
        assertThat(tmp.resolve("escape")).doesNotExist();
        assertThat(tmp.resolve("onchange-ran")).doesNotExist();
    }

    private static Optional<JsonObject> unsafe(Daemon d) {
        return d.status().filter(s -> s.has("unsafe"))
                .map(s -> s.getAsJsonArray("unsafe").get(0).getAsJsonObject());
    }
}
