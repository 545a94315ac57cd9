package io.annexsync.transfer.remote.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real git-annex as the client of annex-sync's server: an ssh remote whose "ssh" is a script that answers
 * {@code configlist} and runs {@link StdioServerMain} for {@code p2pstdio} (git's own upload-pack and receive-pack run
 * as they are; any other git-annex-shell command fails loudly, so git-annex cannot fall back to its older commands
 * unseen). copy --to, a local drop that locks the remote copy, get --from
 * and drop --from go through our server; fsck passes on both sides.
 */
class GitAnnexClientIT {
    @TempDir
    Path tmp;
    private GitAnnex annex;
    private Path server;
    private Path client;
    private Path sshLog;
    private String serverUuid;

    @BeforeEach
    void setUp() throws Exception {
        GitAnnex.assumeAvailable();
        annex = new GitAnnex(tmp.resolve("home"));
        server = annex.initAnnexRepo(tmp.resolve("server"), "annex-sync server");
        annex.git(server, "config", "user.name", GitAnnex.NAME);
        annex.git(server, "config", "user.email", GitAnnex.EMAIL);
        serverUuid = annex.git(server, "config", "annex.uuid").trim();
        client = annex.initAnnexRepo(tmp.resolve("client"), "git-annex client");
        annex.git(client, "config", "annex.sshcaching", "false");
        annex.git(client, "remote", "add", "srv", "ssh://fakehost" + server);
        sshLog = tmp.resolve("ssh.log");
        writeFakeSsh(tmp.resolve("bin/ssh"));
    }

    private void writeFakeSsh(Path ssh) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Files.createDirectories(ssh.getParent());
        Files.writeString(ssh, String.join("\n",
                "#!/bin/bash",
                "while [[ \"$1\" == -* ]]; do case \"$1\" in -o|-p|-l|-i|-F|-S|-O) shift 2;; *) shift;; esac; done",
                "shift",
                "while [[ \"$1\" == -* ]]; do shift; done",
                "cmd=\"$*\"",
                "echo \"$cmd\" >> '" + sshLog + "'",
                "eval \"set -- $cmd\"",
                "if [[ \"$1\" == git-annex-shell && \"$2\" == configlist ]]; then",
                "  echo 'annex.uuid=" + serverUuid + "'; echo 'core.gcrypt-id='; exit 0",
                "fi",
                "if [[ \"$1\" == git-annex-shell && \"$2\" == p2pstdio ]]; then",
                "  exec '" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
                        + StdioServerMain.class.getName() + " \"$3\" \"$4\" 2>>'" + tmp.resolve("server.err") + "'",
                "fi",
                "if [[ \"$1\" == git-upload-pack || \"$1\" == git-receive-pack ]]; then exec \"$@\"; fi",
                "echo \"fake ssh: refusing $cmd\" >&2; exit 1",
                ""));
        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs git-annex in the client with the fake ssh first on PATH. */
    private GitAnnex.Outcome clientAnnex(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "annex"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(client.toFile())
                .redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        Map<String, String> env = pb.environment();
        annex.environment(env);
        env.put("PATH", tmp.resolve("bin") + ":" + env.get("PATH"));
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("git annex " + String.join(" ", args) + " timed out");
        }
        return new GitAnnex.Outcome(p.exitValue(), Files.readString(tmp.resolve("out.txt")),
                Files.readString(tmp.resolve("err.txt")));
    }

    private String serverLog() throws IOException {
        Path err = tmp.resolve("server.err");
        return (Files.exists(sshLog) ? Files.readString(sshLog) : "") + (Files.exists(err) ? Files.readString(err)
                : "");
    }

    private void ok(GitAnnex.Outcome o) throws IOException {
        assertThat(o.exitCode()).as(o.all() + "\n--- ssh and server:\n" + serverLog()).isZero();
    }

    @Test
    void gitAnnexCopiesDropsGetsAndRemovesThroughOurServer() throws Exception {
        Files.writeString(client.resolve("b.txt"), "content for the annex-sync server\n");
        annex.annex(client, "add", "--quiet", "b.txt");
        annex.git(client, "commit", "-q", "-m", "b");
        Key key = Key.of(annex.annex(client, "lookupkey", "b.txt").trim());
        Path object = server.resolve(".git/annex/objects");

        ok(clientAnnex("copy", "--to", "srv", "b.txt"));
        assertThat(Files.readString(sshLog)).contains("p2pstdio");
        try (var s = Files.walk(object)) {
            assertThat(s.anyMatch(p -> p.getFileName().toString().equals(key.keyFile()) && Files.isRegularFile(p)))
                    .as("our server stored it").isTrue();
        }
        ok(clientAnnex("drop", "b.txt"));
        assertThat(annex.annex(client, "find", "--in", "here")).doesNotContain("b.txt");
        ok(clientAnnex("get", "--from", "srv", "b.txt"));
        assertThat(Files.readString(client.resolve("b.txt"))).isEqualTo("content for the annex-sync server\n");
        GitAnnex.Outcome fsckServer = annex.tryAnnex(server, "fsck", "--all", "--quiet");
        assertThat(fsckServer.exitCode()).as("the server's store and location log agree: " + fsckServer.all())
                .isZero();
        ok(clientAnnex("drop", "--from", "srv", "b.txt"));
        try (var s = Files.walk(object)) {
            assertThat(s.noneMatch(p -> p.getFileName().toString().equals(key.keyFile()) && Files.isRegularFile(p)))
                    .as("our server removed it").isTrue();
        }
        assertThat(Files.readString(sshLog)).doesNotContain("refusing");
        assertThat(annex.tryAnnex(server, "whereis", "--key", key.serialize()).all()).contains("(0 copies)");
        GitAnnex.Outcome fsckClient = annex.tryAnnex(client, "fsck", "--quiet");
        assertThat(fsckClient.exitCode()).as(fsckClient.all()).isZero();
    }
}
