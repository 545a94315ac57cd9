package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code annex-sync} command run by the real launcher ({@code bin/annex-sync -C DIR args...}) in a JVM of its
 * own, for what only a separate process shows: signals, its environment, its exit code as the shell sees it.
 *
 * @param process the running command
 * @param out the file its stdout goes to
 * @param err the file its stderr goes to
 */
record CliProcess(Process process, Path out, Path err) {
    static final Duration PATIENCE = Duration.ofSeconds(120);

    /**
     * Starts {@code annex-sync -C dir args...} with the test tools' environment ({@link GitAnnex#environment}) changed
     * by {@code env} (a null value removes the variable); its output goes to files named {@code name} in {@code logs}.
     */
    static CliProcess start(GitAnnex tools, Path logs, String name, Path dir, Map<String, String> env, String... args)
            throws IOException {
        return start(tools, logs, name, dir, env, List.of(), args);
    }

    /**
     * As {@link #start(GitAnnex, Path, String, Path, Map, String...)}, the launcher run by {@code wrapper} (for
     * example {@code env --default-signal=INT,TERM}: a test JVM started in the background ignores SIGINT, and its
     * children would inherit that).
     */
    static CliProcess start(GitAnnex tools, Path logs, String name, Path dir, Map<String, String> env,
            List<String> wrapper, String... args) throws IOException {
        Path launcher = Path.of("").toAbsolutePath().getParent().resolve("bin/annex-sync");
        assertThat(launcher).as("run from the app module").isExecutable();
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(launcher.toString(), "-C", dir.toString()));
        command.addAll(List.of(args));
        Files.createDirectories(logs);
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        tools.environment(pb.environment());
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        return new CliProcess(pb.start(), out, err);
    }

    /** Runs the command to its end (bounded by {@link #PATIENCE}) and gives what it did. */
    static Cli.Run run(GitAnnex tools, Path logs, String name, Path dir, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return start(tools, logs, name, dir, env, args).finish();
    }

    /** Waits (bounded) for the command to end; its exit code and output. */
    Cli.Run finish() throws InterruptedException {
        if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("annex-sync did not end within " + PATIENCE + ": " + this);
        }
        return new Cli.Run(process.exitValue(), stdout(), stderr());
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "pid " + process.pid() + "\n--- stdout\n" + stdout() + "--- stderr\n" + stderr();
    }
}
