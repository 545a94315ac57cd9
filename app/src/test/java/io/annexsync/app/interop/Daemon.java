package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One assistant daemon in a JVM of its own, started by the real launcher ({@code bin/annex-sync assistant
 * --foreground DIR}) with its output in a file: what the end-to-end tests start, stop, and kill with {@code -9}.
 */
final class Daemon implements AutoCloseable {
    static final Duration START = Duration.ofSeconds(60);
    private final String name;
    private final Path dir;
    private final Path output;
    private final Process process;

    private Daemon(String name, Path dir, Path output, Process process) {
        this.name = name;
        this.dir = dir;
        this.output = output;
        this.process = process;
    }

    /** The daemon JVM's options in tests: a small heap, as several daemons run at once. */
    static final String JAVA_OPTS = "-XX:+UseSerialGC -Xmx256m";

    /** Starts the daemon of {@code dir} and waits until it has done its start-up scan. */
    static Daemon start(String name, Path dir, Path logs, GitAnnex tools) throws IOException {
        return start(name, dir, logs, tools, JAVA_OPTS);
    }

    /** As {@link #start(String, Path, Path, GitAnnex)}, the daemon's JVM run with {@code javaOpts}. */
    static Daemon start(String name, Path dir, Path logs, GitAnnex tools, String javaOpts) throws IOException {
        Path launcher = Path.of("").toAbsolutePath().getParent().resolve("bin/annex-sync");
        assertThat(launcher).as("run from the app module").isExecutable();
        Files.createDirectories(logs);
        listenOffUnlessSet(dir);
        Path output = logs.resolve(name + "-" + System.nanoTime() + ".out");
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "assistant", "--foreground",
                dir.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        tools.environment(pb.environment());
        pb.environment().put("ANNEX_SYNC_JAVA_OPTS", javaOpts);
        Daemon d = new Daemon(name, dir, output, pb.start());
        try {
            d.awaitRunning();
        } catch (RuntimeException | Error e) {
            d.process.destroyForcibly(); // the test never gets this daemon to stop it
            throw e;
        }
        return d;
    }

    /**
     * Test daemons do not listen for peers unless the test says where ({@code listen = 127.0.0.1:0}): many run at
     * once, and none may take port 9420.
     */
    static void listenOffUnlessSet(Path dir) throws IOException {
        Path conf = dir.resolve(".git/annex-sync/assistant.conf");
        String text = Files.exists(conf) ? Files.readString(conf) : "";
        if (!text.contains("listen")) {
            Files.createDirectories(conf.getParent());
            Files.writeString(conf, text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n")
                    + "[assistant]\n\tlisten = off\n");
        }
    }

    private void awaitRunning() {
        try {
            await("daemon " + name + " running").atMost(START).pollInterval(Duration.ofMillis(100)).until(() -> {
                assertThat(process.isAlive()).as("daemon %s alive; output:\n%s", name, output()).isTrue();
                return status().map(s -> s.get("state").getAsString().equals("running")).orElse(false);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("daemon " + name + " did not finish starting within " + START.toSeconds()
                    + " s; status " + status().map(Object::toString).orElse("unreadable") + "; output:\n" + output(),
                    e);
        }
    }

    /** The daemon's {@code daemon.json}, if it can be read now. */
    Optional<JsonObject> status() {
        try {
            return Optional.of(JsonParser.parseString(Files.readString(dir.resolve(".git/annex-sync/daemon.json"),
                    StandardCharsets.UTF_8)).getAsJsonObject());
        } catch (IOException | JsonParseException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** A number in the daemon's status ({@code bytes-moved}, ...), 0 when absent. */
    long counter(String key) {
        return status().filter(s -> s.has(key)).map(s -> s.get(key).getAsLong()).orElse(0L);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Stops it as {@code --stop} and SIGTERM do, and checks that it ended well. */
    void stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("daemon %s stopped; output:\n%s", name, output())
                .isTrue();
        assertThat(process.exitValue()).as("exit code of daemon %s (SIGTERM); output:\n%s", name, output())
                .isIn(0, 143);
    }

    /** {@code kill -9}. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String output() {
        try {
            String log = Files.exists(dir.resolve(".git/annex-sync/daemon.log"))
                    ? Files.readString(dir.resolve(".git/annex-sync/daemon.log")) : "";
            return Files.readString(output) + "\n--- daemon.log\n" + tail(log);
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e + ")";
        }
    }

    private static String tail(String s) {
        return s.length() > 20_000 ? "..." + s.substring(s.length() - 20_000) : s;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
