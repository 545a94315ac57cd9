package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content between path remotes: {@code remote add}, {@code copy --to}, {@code info REMOTE|FILE}, and {@code drop}
 * refusing while another process holds the remote copy's removal lock, with real git-annex as the oracle.
 */
class RemoteContentIT {
    @TempDir
    Path tmp;

    private GitAnnex tools;
    private Path laptop;
    private Path desktop;
    private Path usb;

    @BeforeEach
    void threeRepositories() throws IOException {
        Oracle.assumeGitAnnex();
        tools = new GitAnnex(tmp.resolve("home"));
        laptop = tmp.resolve("laptop");
        Files.createDirectories(laptop.resolve("photos"));
        Random random = new Random(11);
        byte[] photo = new byte[600_000];
        random.nextBytes(photo);
        Files.write(laptop.resolve("photos/beach.jpg"), photo);
        Files.writeString(laptop.resolve("notes.txt"), "call the plumber\n");
        Cli.ok(laptop, "init", "laptop");
        Oracle.identity(tools, laptop);
        Cli.ok(laptop, "add", ".");
        Cli.ok(laptop, "commit", "-m", "first");
        desktop = clone("desktop");
        usb = clone("usb");
    }

    private Path clone(String name) {
        Path dir = tmp.resolve(name);
        tools.git(tmp, "clone", "-q", laptop.toString(), dir.toString());
        Oracle.identity(tools, dir);
        Cli.ok(dir, "init", name);
        return dir;
    }

    @Test
    void copyToARemoteAddedByPathStoresVerifiedContentAndBothSidesRecordIt() throws IOException {
        Cli.Run add = Cli.ok(desktop, "remote", "add", "usb", usb.toString());
        String usbUuid = tools.git(usb, "config", "annex.uuid").strip();
        assertThat(add.out()).contains("remote add usb ok").contains(usbUuid);
        assertThat(tools.git(desktop, "config", "remote.usb.annex-uuid").strip()).isEqualTo(usbUuid);

        Cli.ok(desktop, "get", "photos");
        Cli.Run copy = Cli.ok(desktop, "copy", "--to", "usb", "photos");
        assertThat(copy.out()).contains("copy photos/beach.jpg (to usb...) ok");
        assertThat(Cli.ok(desktop, "copy", "--to", "usb", "photos").out()).as("second copy has nothing to do")
                .isEmpty();

        Oracle.assertEveryObjectVerifies(usb);
        assertThat(Oracle.whereis(Cli.ok(desktop, "whereis", "--json", "photos").out()).get("photos/beach.jpg"))
                .contains(usbUuid);
        assertThat(tools.annex(usb, "whereis", "photos/beach.jpg")).contains(usbUuid + " -- usb [here]");
        Oracle.assertGitAnnexFsckPasses(tools, usb);
        Oracle.assertGitAnnexFsckPasses(tools, desktop);
    }

    @Test
    void infoDescribesARemoteAndAFile() {
        Cli.ok(desktop, "remote", "add", "usb", usb.toString());
        JsonObject remote = Oracle.jsonLines(Cli.ok(desktop, "info", "--json", "origin").out()).get(0);
        assertThat(remote.get("uuid").getAsString()).isEqualTo(tools.git(laptop, "config", "annex.uuid").strip());
        assertThat(remote.get("description").getAsString()).isEqualTo("laptop [origin]");
        assertThat(remote.get("remote annex keys").getAsInt()).isEqualTo(2);
        assertThat(remote.get("cost").getAsString()).isEqualTo("100.0");

        JsonObject file = Oracle.jsonLines(Cli.ok(desktop, "info", "--json", "photos/beach.jpg").out()).get(0);
        assertThat(file.get("present").getAsBoolean()).isFalse();
        assertThat(file.get("key").getAsString()).isEqualTo(tools.annex(desktop, "lookupkey", "photos/beach.jpg")
                .strip());
        assertThat(file.get("size").getAsString()).isEqualTo("600 kilobytes");
    }

    @Test
    void dropRefusesWhileAnotherProcessHoldsTheRemoteCopysRemovalLock() throws Exception {
        Cli.ok(desktop, "get", "photos/beach.jpg");
        Path object = Path.of(tools.annex(laptop, "contentlocation",
                tools.annex(laptop, "lookupkey", "photos/beach.jpg").strip()).strip());
        Process holder = holdExclusiveLock(laptop.resolve(object.toString() + ".lck"));
        try {
            Cli.Run drop = Cli.run(desktop, "drop", "photos/beach.jpg");
            assertThat(drop.exitCode()).as(drop.toString()).isEqualTo(1);
            assertThat(drop.err()).contains("Could only verify the existence of 0 out of 1 necessary copy");
            assertThat(Cli.ok(desktop, "info", "--json", "photos/beach.jpg").out()).contains("\"present\":true");
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Cli.ok(desktop, "drop", "photos/beach.jpg").out()).contains("drop photos/beach.jpg ok");
        assertThat(Files.readString(desktop.resolve("photos/beach.jpg")))
                .startsWith("/annex/objects/SHA256E-s600000--");
        Oracle.assertGitAnnexFsckPasses(tools, desktop);
        Oracle.assertGitAnnexFsckPasses(tools, laptop);
    }

    /** A separate process holding an fcntl write lock, as git-annex holds one while it removes content. */
    private static Process holdExclusiveLock(Path lockFile) throws IOException {
        String script = String.join("\n",
                "import fcntl, os, sys",
                "p = sys.argv[1]; d = os.path.dirname(p); mode = os.stat(d).st_mode",
                "os.chmod(d, mode | 0o200); f = open(p, 'a'); os.chmod(d, mode)",
                "fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)",
                "print('locked', flush=True)",
                "sys.stdin.read()");
        Process p = new ProcessBuilder("python3", "-c", script, lockFile.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("lock holder started").isEqualTo("locked");
        return p;
    }

    @Test
    void statusShowsNewModifiedDeletedAndStagedFilesAndNothingAfterACommit() throws IOException {
        assertThat(Cli.ok(laptop, "status").out()).isEmpty();
        Files.writeString(laptop.resolve("new.txt"), "new\n");
        Files.write(laptop.resolve("photos/beach.jpg"), new byte[] {1, 2, 3});
        Files.delete(laptop.resolve("notes.txt"));
        assertThat(Cli.ok(laptop, "status").out().lines().toList())
                .containsExactlyInAnyOrder("? new.txt", "M photos/beach.jpg", "D notes.txt");

        Cli.ok(laptop, "add", "new.txt");
        assertThat(Cli.ok(laptop, "status").out().lines().toList()).contains("A new.txt");
        JsonObject json = Oracle.jsonLines(Cli.ok(laptop, "status", "--json").out()).stream()
                .filter(o -> o.get("file").getAsString().equals("new.txt"))
                .findFirst()
                .orElseThrow();
        assertThat(json.get("status").getAsString()).isEqualTo("A");

        Cli.ok(laptop, "add", ".");
        tools.git(laptop, "rm", "-q", "--cached", "notes.txt");
        Cli.ok(laptop, "commit", "-m", "changes");
        assertThat(Cli.ok(laptop, "status").out()).isEmpty();
        assertThat(tools.git(laptop, "status", "--porcelain")).isEmpty();
    }

    @Test
    void anUnlockedFileHoldingItsPointerOrItsContentIsNotShownAsModified() throws IOException {
        assertThat(Files.readString(desktop.resolve("photos/beach.jpg"))).startsWith("/annex/objects/");
        assertThat(Cli.ok(desktop, "status").out()).isEmpty();
        Cli.ok(desktop, "get", "photos");
        assertThat(Files.size(desktop.resolve("photos/beach.jpg"))).isEqualTo(600_000);
        assertThat(Cli.ok(desktop, "status").out()).isEmpty();
    }
}
