package io.annexsync.app.assistant;

import io.annexsync.app.config.DaemonSettings;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts a folder's daemon as a process of its own, detached from the terminal, and stops it. The new process is the
 * same {@code java} and class path as this one, run as {@code annex-sync assistant --detached PATH} in a session of
 * its own ({@code setsid}, where there is one), with its output in {@code daemon.out}; it is started when it holds
 * the daemon lock. A daemon is stopped by SIGTERM, which it answers by stopping gracefully. Stateless.
 */
public final class DaemonLauncher {
    /** Extra JVM flags for the daemon process (the launcher's {@code ANNEX_SYNC_JAVA_OPTS} is for commands). */
    public static final String JAVA_OPTS_ENV = "ANNEX_SYNC_DAEMON_JAVA_OPTS";
    /** The JVM flags a daemon gets unless {@link #JAVA_OPTS_ENV} says otherwise: a small heap that shrinks back. */
    private static final List<String> DAEMON_FLAGS = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx1g",
            "-XX:MaxHeapFreeRatio=30", "-XX:MinHeapFreeRatio=10", "-XX:-ShrinkHeapInSteps");

    private DaemonLauncher() {}

    /**
     * Whether a start worked: the daemon's pid, or why not.
     *
     * @param pid the daemon's pid once it holds the lock
     * @param problem why it did not start (its last output), when {@code pid} is empty
     */
    public record Started(OptionalLong pid, String problem) {}

    /** Points the daemon's logging at {@code daemon.log} (and stderr too when {@code alsoStderr}). */
    public static void configureLogging(DaemonFiles files, DaemonSettings settings, boolean alsoStderr) {
        DaemonLog.configure(files, settings.logSize(), settings.logFiles(), alsoStderr,
                Optional.ofNullable(System.getenv("ANNEX_SYNC_LOG")));
    }

    /** Starts the daemon for {@code workTree} and waits (at most {@code wait}) until it holds its lock. */
    public static Started start(Path workTree, DaemonFiles files, Duration wait) throws IOException,
            InterruptedException {
        Files.createDirectories(files.dir());
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        }
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString()));
        command.addAll(jvmFlags());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.annexsync.app.Main", "assistant",
                "--detached", workTree.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        // glibc's malloc makes an arena per thread that allocates: two are plenty for a daemon that mostly waits
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        Process p = pb.directory(workTree.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(files.console().toFile()).redirectErrorStream(true).start();
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            OptionalLong pid = DaemonLock.running(files);
            if (pid.isPresent()) {
                return new Started(pid, "");
            }
            if (p.waitFor(50, TimeUnit.MILLISECONDS)) {
                return new Started(OptionalLong.empty(), "it exited with code " + p.exitValue() + ": "
                        + tail(files.console()));
            }
        }
        return new Started(OptionalLong.empty(), "it did not take its lock within " + wait.toSeconds() + " s; see "
                + files.console());
    }

    /** The flags of this JVM that suit the daemon too (class-data sharing), then the daemon's own. */
    private static List<String> jvmFlags() {
        List<String> flags = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:SharedArchiveFile") || arg.startsWith("-Xlog:cds")
                    || arg.equals("-XX:+AutoCreateSharedArchive") || arg.startsWith("--enable-native-access")) {
                flags.add(arg);
            }
        }
        String extra = System.getenv(JAVA_OPTS_ENV);
        if (extra != null && !extra.isBlank()) {
            flags.addAll(List.of(extra.trim().split("\\s+")));
        } else {
            flags.addAll(DAEMON_FLAGS);
        }
        return flags;
    }

    /** Sends SIGTERM to {@code pid} and waits (at most {@code wait}) for it to end. */
    public static boolean stop(long pid, Duration wait) throws InterruptedException {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return true;
        }
        handle.get().destroy();
        try {
            handle.get().onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !handle.get().isAlive();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
