package io.annexsync.gitsync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs real {@code git} and {@code git annex} in a directory, isolated from the user's configuration: HOME is a
 * scratch directory, the system config is ignored, author and committer are fixed. The test oracle for every test
 * that compares with git-annex, in gitsync and (through the test jar) in app, so isolation and timeouts live here.
 *
 * <p>Each command's stdin, stdout and stderr go through files under HOME, so a command never blocks on a full pipe
 * and the timeout bounds it whatever it does. Not thread-safe; one per test.
 */
public final class GitAnnex {
    /** The author and committer name of commits made by the tools run here. */
    public static final String NAME = "Lab User";
    /** The author and committer email of commits made by the tools run here. */
    public static final String EMAIL = "lab@example.com";
    /** The description {@link #initAnnexRepo(Path)} gives a repository. */
    public static final String DESCRIPTION = "oracle";
    private static final long TIMEOUT_SECONDS = 120;

    private final Path home;
    private final Map<String, String> extra;

    /** Tools whose HOME is {@code home} (a scratch directory the test owns; created when missing). */
    public GitAnnex(Path home) {
        this(home, Map.of());
    }

    /**
     * As {@link #GitAnnex(Path)}, with {@code extra} variables set too (for example {@code GIT_SSH_COMMAND} from
     * {@link OpenSshServer#sshCommand()}, so git and git-annex reach a test sshd).
     */
    public GitAnnex(Path home, Map<String, String> extra) {
        this.home = home;
        this.extra = Map.copyOf(extra);
    }

    /** Whether git-annex is installed; checked once per JVM. */
    public static boolean available() {
        return Installed.YES;
    }

    /** Skips the calling test (a JUnit assumption) when git-annex is not installed. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(available(), "git-annex not on PATH: apt-get install git-annex");
    }

    /** What a command printed, and its exit status; returned by the {@code try...} methods whatever the status. */
    public record Outcome(int exitCode, String out, String err) {
        /** stdout and stderr together, for checking that a message appears on neither. */
        public String all() {
            return out + err;
        }
    }

    /** Runs {@code git annex args...} in {@code dir}; returns stdout, fails with stderr on a non-zero exit. */
    public String annex(Path dir, String... args) {
        return ok(dir, annexCommand(args), "");
    }

    /**
     * Runs {@code git annex args...} in {@code dir} with {@code stdin} as its input (for {@code --batch} commands,
     * which read until its end); returns stdout, fails with stderr on a non-zero exit.
     */
    public String annexWithInput(Path dir, String stdin, String... args) {
        return ok(dir, annexCommand(args), stdin);
    }

    /** Runs {@code git args...} in {@code dir}; returns stdout, fails with stderr on a non-zero exit. */
    public String git(Path dir, String... args) {
        return ok(dir, gitCommand(args), "");
    }

    /** Runs {@code git annex args...} in {@code dir} and returns its outcome whatever the exit status. */
    public Outcome tryAnnex(Path dir, String... args) {
        return execute(dir, annexCommand(args), "");
    }

    /** Runs {@code git args...} in {@code dir} and returns its outcome whatever the exit status. */
    public Outcome tryGit(Path dir, String... args) {
        return execute(dir, gitCommand(args), "");
    }

    /**
     * Makes {@code dir} (created when missing) a git repository initialised by real git-annex, described as
     * {@link #DESCRIPTION}.
     *
     * @return {@code dir}
     */
    public Path initAnnexRepo(Path dir) {
        return initAnnexRepo(dir, DESCRIPTION);
    }

    /**
     * Makes {@code dir} (created when missing) a git repository initialised by real git-annex with
     * {@code description}.
     *
     * @return {@code dir}
     */
    public Path initAnnexRepo(Path dir, String description) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git(dir, "init", "-q");
        annex(dir, "init", "-q", description);
        return dir;
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
        env.putAll(extra);
    }

    private static List<String> annexCommand(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "annex"));
        command.addAll(List.of(args));
        return command;
    }

    private static List<String> gitCommand(String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        return command;
    }

    private String ok(Path dir, List<String> command, String stdin) {
        Outcome o = execute(dir, command, stdin);
        if (o.exitCode() != 0) {
            throw new AssertionError(command + " failed (" + o.exitCode() + ") in " + dir + ":\n" + o.err() + o.out());
        }
        return o.out();
    }

    private Outcome execute(Path dir, List<String> command, String stdin) {
        Path in = null;
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            Files.createDirectories(home);
            in = Files.writeString(Files.createTempFile(home, "stdin", ".txt"), stdin, StandardCharsets.UTF_8);
            out = Files.createTempFile(home, "stdout", ".txt");
            err = Files.createTempFile(home, "stderr", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            environment(pb.environment());
            process = pb.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(command + " timed out after " + TIMEOUT_SECONDS + "s in " + dir);
            }
            return new Outcome(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        } finally {
            if (process != null && process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            deleteQuietly(in);
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover scratch file under the test's HOME is harmless; the test's temp dir removes it
        }
    }

    /** Whether {@code git annex version} runs, computed on first use. */
    private static final class Installed {
        static final boolean YES = probe();

        private static boolean probe() {
            try {
                Process p = new ProcessBuilder("git", "annex", "version", "--raw").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                p.getOutputStream().close();
                if (p.waitFor(30, TimeUnit.SECONDS)) {
                    return p.exitValue() == 0;
                }
                p.destroyForcibly();
                return false;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
