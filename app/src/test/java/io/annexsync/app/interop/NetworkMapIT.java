package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chain of path remotes A - B - C where A cannot reach C: every repository publishes its links, learns the whole
 * map by syncing, and content added at A reaches C through B, sent once over each link of the tree.
 */
class NetworkMapIT {
    @TempDir
    Path tmp;

    @Test
    void contentAddedAtTheStartOfAChainReachesTheEndThroughTheMiddleOnce() throws IOException {
        GitAnnex tools = new GitAnnex(tmp.resolve("home"));
        Path a = tmp.resolve("a");
        Files.createDirectories(a);
        byte[] photo = new byte[100_000];
        new Random(3).nextBytes(photo);
        Files.write(a.resolve("photo.jpg"), photo);
        Cli.ok(a, "init", "A");
        Oracle.identity(tools, a);
        Cli.ok(a, "add", ".");
        Cli.ok(a, "commit", "-m", "one");
        Path b = chainClone(tools, a, "b", "B");
        Path c = chainClone(tools, a, "c", "C");
        Cli.ok(a, "remote", "add", "b", b.toString());
        Cli.ok(b, "remote", "add", "a", a.toString());
        Cli.ok(b, "remote", "add", "c", c.toString());
        Cli.ok(c, "remote", "add", "b", b.toString());
        for (Path r : new Path[] {c, b, a, c, b, a}) {
            Cli.ok(r, "sync");
        }

        JsonObject map = JsonParser.parseString(Cli.ok(a, "map", "--json").out()).getAsJsonObject();
        assertThat(map.toString()).as("A knows C, which it cannot reach").contains(uuid(tools, c));
        assertThat(Cli.ok(a, "map", "--file", "photo.jpg").out()).contains("upload to " + shortId(tools, b));
        assertThat(Cli.ok(a, "map", "--dot").out()).startsWith("digraph").contains(uuid(tools, c));

        Cli.Run fromA = Cli.ok(a, "sync", "--content");
        Cli.Run fromB = Cli.ok(b, "sync", "--content");
        Cli.Run fromC = Cli.ok(c, "sync", "--content");

        assertThat(fromA.out()).containsOnlyOnce("copy photo.jpg (to b...) ok");
        assertThat(fromB.out()).containsOnlyOnce("copy photo.jpg (to c...) ok").doesNotContain("(to a...)");
        assertThat(fromC.out()).as("C received it from B and fetches nothing more").doesNotContain("(from ");
        assertThat(Files.readAllBytes(c.resolve("photo.jpg"))).as("C's unlocked file has its content")
                .isEqualTo(photo);
        assertThat(Oracle.whereis(Cli.ok(c, "whereis", "--json").out()).get("photo.jpg")).hasSize(3);
    }

    private static Path chainClone(GitAnnex tools, Path origin, String dir, String name) {
        Path clone = origin.resolveSibling(dir);
        tools.git(origin.getParent(), "clone", "-q", origin.toString(), clone.toString());
        tools.git(clone, "remote", "remove", "origin");
        Oracle.identity(tools, clone);
        Cli.ok(clone, "init", name);
        return clone;
    }

    private static String uuid(GitAnnex tools, Path repo) {
        return tools.git(repo, "config", "annex.uuid").strip();
    }

    private static String shortId(GitAnnex tools, Path repo) {
        return uuid(tools, repo).substring(0, 8);
    }
}
