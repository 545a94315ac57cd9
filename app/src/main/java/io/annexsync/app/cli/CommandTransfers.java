package io.annexsync.app.cli;

import io.annexsync.app.config.AssistantConfig;
import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.content.ContentOps;
import io.annexsync.gitsync.content.ItemResult;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.transfer.engine.EngineTransfers;
import io.annexsync.transfer.engine.TransferService;
import io.annexsync.transfer.queue.QueuePolicy;
import io.annexsync.transfer.queue.TransferQueue;
import io.annexsync.transfer.queue.TransferRequest;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transfer engine for one command ({@code get}, {@code copy}, {@code sync --content}): workers and limits from
 * {@code assistant.conf}, a queue owned by this process, and a failure reported at once rather than retried in the
 * background (the command's user decides whether to run it again). Closing it stops the workers and writes the
 * location logs of the new copies.
 */
final class CommandTransfers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandTransfers.class);
    /** How long a signal waits for the command to report what it had done, once the transfers stopped. */
    private static final long REPORT_WAIT_SECONDS = 5;

    private final TransferService service;
    private final EngineTransfers transfers;
    private final Thread onSignal;
    private final AtomicBoolean signalled = new AtomicBoolean();

    private CommandTransfers(TransferService service) {
        this.service = service;
        this.transfers = new EngineTransfers(service, EngineTransfers.NOW);
        this.onSignal = new Thread(this::stopOnSignal, "annex-sync-command-stop");
    }

    /** Starts the engine; {@code progress} sees every transfer's bytes. */
    static CommandTransfers start(AnnexRepo repo, Progress progress) throws RepoException {
        return start(repo, progress, true);
    }

    /**
     * Starts the engine; {@code checkSpace} false ({@code --force}) lets content in even when it leaves less than the
     * receiving repository's {@code annex.diskreserve} free.
     */
    static CommandTransfers start(AnnexRepo repo, Progress progress, boolean checkSpace) throws RepoException {
        AssistantConfig config = RepoCommand.loadConfig(repo);
        var settings = config.transferSettings(repo.git().getConfig(),
                repo.remotes().stream().map(RemoteConfig::name).toList(),
                new QueuePolicy(RetryPolicy.DEFAULT, 1));
        CommandTransfers started = new CommandTransfers(TransferService.start(repo,
                checkSpace ? settings : settings.withoutSpaceCheck(),
                TransferQueue.processOwner(), Clock.systemUTC(), progress));
        Runtime.getRuntime().addShutdownHook(started.onSignal);
        return started;
    }

    /**
     * SIGINT (Ctrl-C) or SIGTERM while the command runs: ends it as cleanly as {@code assistant --stop} ends the
     * daemon. The transfers in hand stop at their next chunk, their partial files kept for the next run to continue,
     * their transfer records removed, and this process's queue items deleted; then the command's thread, whose waits
     * end with {@link #interrupted}, gets a moment to say so ({@link AnnexSyncCommand#awaitEnd}) before the JVM exits
     * (130 or 143, as the shell expects).
     */
    private void stopOnSignal() {
        signalled.set(true);
        try {
            service.close();
        } catch (RepoException | RuntimeException e) {
            LOG.warn("cannot stop the transfers cleanly: {}", e.getMessage());
        }
        AnnexSyncCommand.awaitEnd(REPORT_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Why the waits of a command stopped by a signal end. */
    private RepoException interrupted(Throwable cause) {
        return new RepoException("interrupted: the transfers in progress stopped; their partial files are kept, and"
                + " running the command again continues them", cause);
    }

    EngineTransfers transfers() {
        return transfers;
    }

    /** Waits for one transfer's result. */
    ItemResult await(CompletableFuture<ItemResult> result) throws RepoException {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            if (signalled.get()) {
                throw interrupted(cause);
            }
            throw cause instanceof RepoException r ? r : new RepoException("transfer failed: " + cause, cause);
        }
    }

    /**
     * Gets the content of {@code files} from the first of {@code remotes} (cheapest first) that has it, puts unlocked
     * files in place, and reports each file under {@code verb} in the order given, as its transfer ends.
     */
    void get(AnnexRepo repo, List<AnnexedFile> files, List<RemoteConfig> remotes, ContentOps ops, Progress progress,
            Reporter reporter, String verb) throws RepoException {
        List<AnnexedFile> missing = files.stream().filter(f -> !repo.hasContent(f.key())).toList();
        List<CompletableFuture<ItemResult>> got = transfers.getAll(missing, f -> remotes);
        Map<AnnexedFile, CompletableFuture<ItemResult>> pending = new HashMap<>();
        for (int i = 0; i < missing.size(); i++) {
            pending.put(missing.get(i), got.get(i));
        }
        for (AnnexedFile f : files) {
            CompletableFuture<ItemResult> transfer = pending.get(f);
            if (transfer == null) {
                reporter.item(verb, ops.populate(f)); // here already: only put in place
                continue;
            }
            ItemResult r = await(transfer);
            if (repo.hasContent(f.key())) {
                ops.populate(f);
            }
            reporter.item(verb, r);
        }
    }

    /** Sends the content of {@code files} to {@code to}, reporting each under {@code verb} in the order given. */
    void copyTo(AnnexRepo repo, List<AnnexedFile> files, RemoteConfig to, Reporter reporter, String verb)
            throws RepoException {
        List<AnnexedFile> present = files.stream().filter(f -> repo.hasContent(f.key())).toList();
        List<CompletableFuture<ItemResult>> sent = transfers.transferAll(present, to, TransferRequest.Way.UPLOAD);
        Map<AnnexedFile, CompletableFuture<ItemResult>> pending = new HashMap<>();
        for (int i = 0; i < present.size(); i++) {
            pending.put(present.get(i), sent.get(i));
        }
        for (AnnexedFile f : files) {
            CompletableFuture<ItemResult> transfer = pending.get(f);
            reporter.item(verb, transfer == null
                    ? ItemResult.failed(f.path(), f.key(), "to " + to.name() + "...",
                            "content not present here; get it first")
                    : await(transfer));
        }
    }

    /** The remote called {@code name}. */
    static RemoteConfig remote(AnnexRepo repo, String name) throws RepoException {
        return repo.remotes().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new RepoException("there is no remote called " + name
                        + " (see 'annex-sync remote list')"));
    }

    /** The remotes content may come from, cheapest first. */
    static List<RemoteConfig> usable(AnnexRepo repo) throws RepoException {
        return repo.remotes().stream().filter(r -> !r.ignored()).toList();
    }

    /** Stops the engine (see {@link TransferService#close()}); with no signal, the shutdown hook is removed. */
    @Override
    public void close() throws RepoException {
        try {
            service.close();
        } finally {
            if (!signalled.get()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(onSignal);
                } catch (IllegalStateException e) {
                    // the JVM is already shutting down (a signal came just now): the hook ends it
                }
            }
        }
    }
}
