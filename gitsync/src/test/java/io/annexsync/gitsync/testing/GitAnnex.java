package io.annexsync.gitsync.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs real {@code git} and {@code git annex} in a directory, isolated from the user's configuration: HOME is a
 * scratch directory, the system config is ignored, author and committer are fixed. The test oracle for interop tests.
 */
public final class GitAnnex {
    /** The author and committer name of commits made by the tools run here. */
    public static final String NAME = "Lab User";
    /** The author and committer email of commits made by the tools run here. */
    public static final String EMAIL = "lab@example.com";
    private static final long TIMEOUT_SECONDS = 120;

    private final Path home;

    /** Tools whose HOME is {@code home} (a scratch directory the test owns). */
    public GitAnnex(Path home) {
        this.home = home;
    }

    /** Whether git-annex is installed. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("git", "annex", "version", "--raw").redirectErrorStream(true).start();
            p.getInputStream().transferTo(OutputStream.nullOutputStream());
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code git annex args...} in {@code dir}; returns stdout, fails with stderr on a non-zero exit. */
    public String annex(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "annex"));
        command.addAll(List.of(args));
        return run(dir, command);
    }

    /** Runs {@code git args...} in {@code dir}; returns stdout, fails with stderr on a non-zero exit. */
    public String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        return run(dir, command);
    }

    /** What a command run by {@link #tryAnnex} printed, and its exit status. */
    public record Outcome(int exitCode, String out, String err) {
        /** stdout and stderr together, for checking that a message appears on neither. */
        public String all() {
            return out + err;
        }
    }

    /** Runs {@code git annex args...} in {@code dir} and returns its outcome whatever the exit status. */
    public Outcome tryAnnex(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "annex"));
        command.addAll(List.of(args));
        return execute(dir, command);
    }

    private String run(Path dir, List<String> command) {
        Outcome o = execute(dir, command);
        if (o.exitCode() != 0) {
            throw new AssertionError(command + " failed (" + o.exitCode() + ") in " + dir + ":\n" + o.err());
        }
        return o.out();
    }

    /** The environment these tools run with (HOME, no system config, fixed identity), for other processes too. */
    public void environment(Map<String, String> env) {
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_AUTHOR_NAME", NAME);
        env.put("GIT_AUTHOR_EMAIL", EMAIL);
        env.put("GIT_COMMITTER_NAME", NAME);
        env.put("GIT_COMMITTER_EMAIL", EMAIL);
        env.remove("GIT_DIR");
        env.remove("GIT_WORK_TREE");
    }

    private Outcome execute(Path dir, List<String> command) {
        try {
            Files.createDirectories(home);
            Path errFile = Files.createTempFile(home, "stderr", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectError(errFile.toFile());
            environment(pb.environment());
            Process p = pb.start();
            p.getOutputStream().close();
            String out = drain(p.getInputStream());
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " timed out in " + dir);
            }
            return new Outcome(p.exitValue(), out, Files.readString(errFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String drain(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
