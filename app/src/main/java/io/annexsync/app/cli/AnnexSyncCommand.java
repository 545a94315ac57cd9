package io.annexsync.app.cli;

import io.annexsync.gitsync.BadPathException;
import io.annexsync.gitsync.IoMessages;
import io.annexsync.gitsync.NotARepositoryException;
import io.annexsync.gitsync.RepoException;
import io.annexsync.transfer.remote.p2p.git.PeerGitTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level {@code annex-sync} command: global options and the list of subcommands. */
@Command(
        name = "annex-sync",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Keeps a folder in sync across your machines; every folder is a git-annex v10 repository.",
        subcommands = {
            InitCommand.class,
            AssistantCommand.class,
            AddCommand.class,
            CommitCommand.class,
            StatusCommand.class,
            TransfersCommand.class,
            WhereisCommand.class,
            GetCommand.class,
            CopyCommand.class,
            DropCommand.class,
            FsckCommand.class,
            InfoCommand.class,
            RemoteCommand.class,
            SyncCommand.class,
            MapCommand.class,
            PeerCommand.class, P2pRelayCommand.class,
            CommandLine.HelpCommand.class
        })
public final class AnnexSyncCommand {
    private static final Logger LOG = LoggerFactory.getLogger(AnnexSyncCommand.class);

    @Option(
            names = "-C",
            paramLabel = "DIR",
            scope = ScopeType.INHERIT,
            description = "Run as if started in DIR (default: the current folder).")
    Path directory = Path.of("");

    /** The folder commands work in. */
    Path directory() {
        return directory.toAbsolutePath().normalize();
    }

    /** Counted down by {@link #ended()} once the executable's command has returned its exit code. */
    private static final CountDownLatch ENDED = new CountDownLatch(1);

    /** Says that the command of this process has ended and printed what it had to say (the executable calls it). */
    public static void ended() {
        ENDED.countDown();
    }

    /**
     * Waits, bounded, until the command of this process has ended: for a shutdown hook (a signal), so the command's
     * last lines are printed before the JVM exits.
     */
    static void awaitEnd(long timeout, TimeUnit unit) {
        try {
            ENDED.await(timeout, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A command line with annex-sync's exception-to-exit-code mapping, ready to execute. */
    public static CommandLine commandLine() {
        PeerGitTransport.register(); // p2p-annex::annexsync: remotes, for the CLI and the daemon alike
        CommandLine cl = new CommandLine(new AnnexSyncCommand());
        cl.setExecutionExceptionHandler(AnnexSyncCommand::handle);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof NotARepositoryException) {
            err.println("annex-sync: " + e.getMessage());
            return ExitCode.NOT_A_REPOSITORY;
        }
        if (e instanceof BadPathException) {
            // a path outside the repository or naming nothing in it is a failed item (docs/cli.md), not a crash
            err.println("annex-sync: " + e.getMessage());
            err.println(cl.getCommandName() + ": 1 failed");
            return ExitCode.FAILED;
        }
        if (e instanceof RepoException || e instanceof IOException) {
            err.println("annex-sync: " + (e instanceof IOException io ? IoMessages.describe(io) : e.getMessage()));
            trace(e);
            return ExitCode.ERROR;
        }
        Optional<IOException> io = ioCause(e);
        if (io.isPresent()) {
            // a library's unchecked wrapper of an I/O error (JGit's, the JDK's): what and where, not a crash
            err.println("annex-sync: " + IoMessages.cause(io.get()));
            trace(e);
            return ExitCode.ERROR;
        }
        if (e instanceof IllegalArgumentException) {
            err.println("annex-sync: " + e.getMessage());
            return ExitCode.USAGE;
        }
        err.println("annex-sync: internal error: " + e + " (please report it, with the trace below)");
        LOG.error("internal error", e);
        return ExitCode.ERROR;
    }

    /** The trace of an error whose one-line message was printed: logged at debug level (ANNEX_SYNC_DEBUG: error). */
    private static void trace(Exception e) {
        if (e.getCause() != null && System.getenv("ANNEX_SYNC_DEBUG") != null) {
            LOG.error("cause", e);
        } else {
            LOG.debug("cause", e);
        }
    }

    private static Optional<IOException> ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return Optional.of(io);
            }
        }
        return Optional.empty();
    }
}
