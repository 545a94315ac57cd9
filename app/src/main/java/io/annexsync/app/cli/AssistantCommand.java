package io.annexsync.app.cli;

import io.annexsync.app.assistant.Assistant;
import io.annexsync.app.assistant.DaemonFiles;
import io.annexsync.app.assistant.DaemonLauncher;
import io.annexsync.app.assistant.DaemonLock;
import io.annexsync.app.assistant.ThreadFailures;
import io.annexsync.app.config.AssistantConfig;
import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.InitResult;
import io.annexsync.gitsync.NotARepositoryException;
import io.annexsync.gitsync.RepoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code annex-sync assistant [PATH]}: starts the daemon that keeps the folder in sync by itself (in the background
 * unless {@code --foreground}), stops it, or shows what it does.
 */
@Command(
        name = "assistant",
        description = {
            "Keep the folder in sync by itself: a daemon watches it, commits every change, pushes to every remote in",
            "parallel, merges what peers push back (conflicts keep both versions) and moves content along the network",
            "map. A folder that is not a repository yet is made one. One daemon per folder; its log is",
            ".git/annex-sync/daemon.log. Stop it with --stop (or SIGTERM): the changes in hand are committed first."
        })
final class AssistantCommand implements Callable<Integer> {
    /** How long starting or stopping may take before the command gives up waiting. */
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** How long a stopping daemon waits for its main thread to remove the pid file and release the lock. */
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(5);

    @ParentCommand
    AnnexSyncCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(arity = "0..1", paramLabel = "PATH", description = "The folder (default: the current one).")
    Path path;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "--foreground", description = "Run in this process, logging to stderr too, until stopped.")
        boolean foreground;

        @Option(names = "--stop", description = "Stop the daemon of the folder (it commits what is in hand first).")
        boolean stop;

        @Option(names = "--status", description = "Show whether the daemon runs and what it is doing.")
        boolean status;

        @Option(names = "--detached", hidden = true, description = "Internal: the daemon started in the background.")
        boolean detached;
    }

    @Override
    public Integer call() throws Exception {
        Path dir = path == null ? root.directory() : root.directory().resolve(path).toAbsolutePath().normalize();
        Reporter reporter = new Reporter(spec.commandLine().getOut(), spec.commandLine().getErr(), output.json);
        if (mode.stop) {
            return stop(dir, reporter);
        }
        if (mode.status) {
            try (AnnexRepo repo = AnnexRepo.open(dir)) {
                DaemonStatusView.show(repo, reporter, false);
                DaemonStatusView.fullDisks(repo, reporter);
            }
            return ExitCode.OK;
        }
        ensureRepository(dir, reporter);
        if (mode.foreground || mode.detached) {
            return runHere(dir, reporter);
        }
        return startInBackground(dir, reporter);
    }

    /** Makes {@code dir} a repository when it is not one yet, saying so. */
    private static void ensureRepository(Path dir, Reporter reporter) throws RepoException {
        if (Files.isDirectory(dir) && new FileRepositoryBuilder().findGitDir(dir.toFile()).getGitDir() != null) {
            try (AnnexRepo repo = AnnexRepo.open(dir)) {
                return;
            } catch (NotARepositoryException e) {
                // a git repository git-annex has not initialised: init adopts it below
            }
        }
        reporter.human("assistant: " + dir + " is not an annex-sync repository yet; initialising it "
                + "(git init and git-annex v10 layout)");
        InitResult r = AnnexRepo.init(dir, Optional.empty(), InitCommand.defaultDescription(dir));
        reporter.human("init " + r.description() + " ok");
    }

    private int runHere(Path dir, Reporter reporter) throws Exception {
        try (AnnexRepo repo = AnnexRepo.open(dir)) {
            DaemonFiles files = DaemonFiles.of(repo.gitDir());
            AssistantConfig config = RepoCommand.loadConfig(repo);
            Optional<DaemonLock> lock = DaemonLock.acquire(files);
            if (lock.isEmpty()) {
                reporter.warn("annex-sync: an assistant already runs for " + repo.workTree() + running(files));
                return ExitCode.FAILED;
            }
            // SIGTERM and Ctrl-C run the shutdown hook: it stops the assistant, then waits (bounded) until this
            // thread has removed the pid file and released the lock, since the JVM ends when the hook returns
            CountDownLatch released = new CountDownLatch(1);
            try (DaemonLock held = lock.get()) {
                DaemonLauncher.configureLogging(files, config.daemon(), !mode.detached);
                Thread.setDefaultUncaughtExceptionHandler(new ThreadFailures(() -> System.exit(ExitCode.ERROR)));
                Assistant assistant = Assistant.start(repo, config, files, Clock.systemUTC());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    assistant.close();
                    awaitQuietly(released);
                }, "annex-sync-shutdown"));
                if (!mode.detached) {
                    reporter.human("assistant: running in " + repo.workTree() + " (pid " + ProcessHandle.current()
                            .pid() + "); stop with Ctrl-C or 'annex-sync assistant --stop'");
                }
                assistant.awaitClosed();
            } finally {
                released.countDown();
            }
        }
        return ExitCode.OK;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(RELEASE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int startInBackground(Path dir, Reporter reporter) throws IOException, RepoException,
            InterruptedException {
        try (AnnexRepo repo = AnnexRepo.open(dir)) {
            DaemonFiles files = DaemonFiles.of(repo.gitDir());
            RepoCommand.loadConfig(repo); // a bad value is reported here, before anything starts
            OptionalLong already = DaemonLock.running(files);
            if (already.isPresent()) {
                reporter.warn("annex-sync: an assistant already runs for " + repo.workTree() + " (pid "
                        + already.getAsLong() + ")");
                return ExitCode.FAILED;
            }
            DaemonLauncher.Started started = DaemonLauncher.start(repo.workTree(), files, WAIT);
            if (started.pid().isEmpty()) {
                reporter.warn("annex-sync: the assistant did not start: " + started.problem());
                return ExitCode.ERROR;
            }
            long pid = started.pid().getAsLong();
            if (reporter.json()) {
                reporter.object(Map.of("command", "assistant", "pid", pid, "folder",
                        repo.workTree().toString(), "log", files.log().toString(), "success", true));
            } else {
                reporter.human("assistant: started for " + repo.workTree() + " (pid " + pid + "); log: "
                        + files.log());
            }
            return ExitCode.OK;
        }
    }

    private int stop(Path dir, Reporter reporter) throws RepoException, InterruptedException {
        try (AnnexRepo repo = AnnexRepo.open(dir)) {
            DaemonFiles files = DaemonFiles.of(repo.gitDir());
            OptionalLong pid = DaemonLock.running(files);
            if (pid.isEmpty()) {
                reporter.warn("annex-sync: no assistant runs for " + repo.workTree());
                return ExitCode.FAILED;
            }
            if (!DaemonLauncher.stop(pid.getAsLong(), WAIT)) {
                reporter.warn("annex-sync: the assistant (pid " + pid.getAsLong() + ") did not stop within "
                        + WAIT.toSeconds() + " s; see " + files.log());
                return ExitCode.ERROR;
            }
            reporter.human("assistant: stopped (pid " + pid.getAsLong() + ")");
            return ExitCode.OK;
        }
    }

    private static String running(DaemonFiles files) {
        OptionalLong pid = DaemonLock.running(files);
        return pid.isPresent() ? " (pid " + pid.getAsLong() + ")" : "";
    }
}
