package io.annexsync.gitsync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs real git and git-annex as test oracles, isolated from the user's configuration (HOME in a temp dir,
 * {@code GIT_CONFIG_NOSYSTEM=1}, a fixed identity). Owned by the store tests until a shared helper exists; public
 * only so the key and stage tests can use it. Not thread-safe; one per test.
 */
public final class AnnexOracle {
    private static final long TIMEOUT_SECONDS = 120;
    private final Path home;

    /** Result of one command. */
    public record Result(int exitCode, String out, String err) {
        /** The output when the command succeeded, otherwise a failed assertion with its stderr. */
        public String ok() {
            assertEquals(0, exitCode, () -> "command failed: " + err + out);
            return out;
        }
    }

    /** An oracle whose HOME is {@code home}; skips the test when git-annex is missing. */
    public AnnexOracle(Path home) {
        this.home = home;
        Assumptions.assumeTrue(gitAnnexFound(), "git-annex not on PATH: apt-get install git-annex");
    }

    /** Whether {@code git annex version} runs. */
    public static boolean gitAnnexFound() {
        try {
            Process p = new ProcessBuilder("git", "annex", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a command in {@code dir} with no input. */
    public Result run(Path dir, String... command) {
        return runWithInput(dir, "", command);
    }

    /** Runs a command in {@code dir}, feeding it {@code stdin}. */
    public Result runWithInput(Path dir, String stdin, String... command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        env(pb.environment());
        ExecutorService pumps = Executors.newFixedThreadPool(2, r -> new Thread(r, "annex-oracle-pump"));
        try {
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()), pumps);
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()), pumps);
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + List.of(command));
            }
            return new Result(p.exitValue(), out.get(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    err.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError(e);
        } finally {
            pumps.shutdownNow();
        }
    }

    /** Runs {@code git annex <args>} in {@code dir}. */
    public Result annex(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "annex"));
        cmd.addAll(List.of(args));
        return run(dir, cmd.toArray(String[]::new));
    }

    /** Runs {@code git annex <args>} in {@code dir}, feeding it {@code stdin}. */
    public Result annexWithInput(Path dir, String stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "annex"));
        cmd.addAll(List.of(args));
        return runWithInput(dir, stdin, cmd.toArray(String[]::new));
    }

    /** Runs {@code git <args>} in {@code dir}. */
    public Result git(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        return run(dir, cmd.toArray(String[]::new));
    }

    /** Makes {@code dir} a git repository initialised by real git-annex. */
    public Path initAnnexRepo(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git(dir, "init", "-q").ok();
        annex(dir, "init", "-q", "oracle").ok();
        return dir;
    }

    private void env(Map<String, String> env) {
        env.put("HOME", home.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_AUTHOR_NAME", "Oracle");
        env.put("GIT_AUTHOR_EMAIL", "oracle@example.com");
        env.put("GIT_COMMITTER_NAME", "Oracle");
        env.put("GIT_COMMITTER_EMAIL", "oracle@example.com");
        env.remove("GIT_DIR");
        env.remove("GIT_WORK_TREE");
    }

    private static String drain(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
