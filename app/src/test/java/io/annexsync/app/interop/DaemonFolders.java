package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The end-to-end tests' folders under one temporary directory: repositories made with {@code annex-sync init}, made
 * each other's remotes, given settings, with their daemons in JVMs of their own; and the waits that tell when the
 * folders agree, with every daemon's log in the failure. Stops the daemons it started when closed. One per test.
 */
final class DaemonFolders implements AutoCloseable {
    private final Path tmp;
    private final GitAnnex tools;
    private final Random random;
    private final List<Daemon> daemons = new ArrayList<>();
    private String javaOpts = Daemon.JAVA_OPTS;

    /** Folders under {@code tmp}; {@code seed} makes the test's random content. */
    DaemonFolders(Path tmp, long seed) {
        this.tmp = tmp;
        this.tools = new GitAnnex(tmp.resolve("home"));
        this.random = new Random(seed);
    }

    /** Real git and git-annex, isolated from the user's configuration. */
    GitAnnex tools() {
        return tools;
    }

    /** A new repository {@code tmp/name}, described as {@code name}. */
    Path folder(String name) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Cli.ok(dir, "init", name);
        Oracle.identity(tools, dir);
        return dir;
    }

    /** Makes {@code to} the remote {@code name} of {@code from}. */
    static void link(Path from, String name, Path to) {
        Cli.ok(from, "remote", "add", name, to.toString());
    }

    /** Writes the folder's {@code assistant.conf}. */
    static void config(Path dir, String text) throws IOException {
        Files.createDirectories(dir.resolve(".git/annex-sync"));
        Files.writeString(dir.resolve(".git/annex-sync/assistant.conf"), text);
    }

    /** The JVM options of the daemons started from now on ({@link Daemon#JAVA_OPTS} until set). */
    void daemonJavaOptions(String options) {
        this.javaOpts = options;
    }

    /** Starts the folder's daemon and waits until it has done its start-up; it is stopped at {@link #close()}. */
    Daemon start(String name, Path dir) throws IOException {
        Daemon d = Daemon.start(name, dir, tmp.resolve("logs"), tools, javaOpts);
        daemons.add(d);
        return d;
    }

    /** A daemon the test stopped or killed itself: no longer stopped at the end, nor its log shown. */
    void forget(Daemon d) {
        daemons.remove(d);
    }

    /** {@code n} random bytes. */
    byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /**
     * Waits (at most {@code patience}) until every folder shows the same files with the same content, none of them a
     * pointer file still waiting for its content.
     */
    void awaitSame(Duration patience, Path... folders) {
        await("the same files in " + List.of(folders)).atMost(patience).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class).untilAsserted(() -> {
                    Map<String, String> first = Oracle.contents(folders[0]);
                    for (Path f : folders) {
                        assertThat(Oracle.contents(f)).as("files of %s (daemons: %s)", f.getFileName(), logs())
                                .isEqualTo(first);
                    }
                    assertThat(first).allSatisfy((path, hash) -> assertThat(isPointer(folders[0].resolve(path)))
                            .as("%s holds content, not a pointer", path).isFalse());
                });
    }

    /**
     * Waits (at most {@code patience}) until every folder holds exactly the files of {@code expected} (relative path →
     * sha256), with their content; the failure names the paths missing, left a pointer, different or unexpected.
     */
    void awaitContents(Duration patience, Map<String, String> expected, Path... folders) {
        await("the files written, in " + List.of(folders)).atMost(patience).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class).untilAsserted(() -> {
                    for (Path f : folders) {
                        String diff = differences(f, expected, Oracle.contents(f));
                        assertThat(diff).as(() -> f.getFileName() + " holds other files than were written (daemons: "
                                + logs() + ")").isEmpty();
                    }
                });
    }

    private static String differences(Path root, Map<String, String> expected, Map<String, String> actual) {
        List<String> missing = new ArrayList<>();
        List<String> pointers = new ArrayList<>();
        List<String> different = new ArrayList<>();
        expected.forEach((path, hash) -> {
            if (!actual.containsKey(path)) {
                missing.add(path);
            } else if (!actual.get(path).equals(hash)) {
                (isPointer(root.resolve(path)) ? pointers : different).add(path);
            }
        });
        List<String> unexpected = actual.keySet().stream().filter(p -> !expected.containsKey(p)).toList();
        StringBuilder s = new StringBuilder();
        describe(s, "missing", missing);
        describe(s, "a pointer file still", pointers);
        describe(s, "with other content", different);
        describe(s, "not written", unexpected);
        return s.toString();
    }

    private static void describe(StringBuilder s, String what, List<String> paths) {
        if (!paths.isEmpty()) {
            s.append(paths.size()).append(' ').append(what).append(": ")
                    .append(paths.subList(0, Math.min(10, paths.size()))).append(paths.size() > 10 ? "..." : "")
                    .append("; ");
        }
    }

    /** What every running daemon printed and logged. */
    String logs() {
        StringBuilder s = new StringBuilder();
        daemons.forEach(d -> s.append("\n").append(d.output()));
        return s.toString();
    }

    private static boolean isPointer(Path file) {
        try {
            return Files.size(file) < 200 && Files.readString(file).startsWith("/annex/objects/");
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Daemon d : daemons) {
            d.close();
        }
    }
}
