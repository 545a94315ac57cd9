package io.annexsync.app.assistant;

import io.annexsync.app.map.RepoMap;
import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.UnsafePathException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.WorkTreeFiles;
import io.annexsync.gitsync.content.ItemResult;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.transfer.engine.EngineTransfers;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what content the daemon moves and asks the transfer engine for it: after a commit, the new content goes to
 * this repository's children in the network map's tree (or to every reachable remote while the map cannot be
 * followed); after a merge, what is missing here is fetched from its parent, and what is here is sent on (store and
 * forward, so content added at A reaches C through B). Files waiting for their content are remembered; whenever
 * content arrives (our download, or a peer's upload into this repository) their work-tree files are filled in and
 * the content is sent on. Runs on the repository thread, except the completions of transfers, which only ask that
 * thread to look at the arrivals.
 */
final class ContentMover {
    private static final Logger LOG = LoggerFactory.getLogger(ContentMover.class);

    private final AnnexRepo repo;
    private final EngineTransfers engine;
    private final RepoThread repoThread;
    private final Clock clock;
    private final boolean enabled;
    /** Files whose content is wanted here and not here yet, by path. */
    private final Map<String, AnnexedFile> waiting = new ConcurrentHashMap<>();
    private final AtomicLong arrived = new AtomicLong();

    /** With {@code enabled} false ({@code assistant.content = false}) no content is moved, only the history. */
    ContentMover(AnnexRepo repo, EngineTransfers engine, RepoThread repoThread, Clock clock, boolean enabled) {
        this.enabled = enabled;
        this.repo = repo;
        this.engine = engine;
        this.repoThread = repoThread;
        this.clock = clock;
    }

    /** How many files wait for their content. */
    int waitingCount() {
        return waiting.size();
    }

    /** How many waited-for files got their content since the start. */
    long arrivedCount() {
        return arrived.get();
    }

    /**
     * Looks at {@code files} (those a commit, a merge or a scan touched): what is here is sent on, what is not is
     * fetched. Returns a future that completes when the uploads asked for now are done (the gate of the next push).
     */
    CompletableFuture<Void> handle(List<AnnexedFile> files) throws RepoException {
        if (files.isEmpty() || !enabled) {
            return CompletableFuture.completedFuture(null);
        }
        Plan plan = plan(files);
        List<CompletableFuture<ItemResult>> uploads = new ArrayList<>();
        List<AnnexedFile> here = new ArrayList<>();
        for (AnnexedFile f : files) {
            if (repo.hasContent(f.key())) {
                here.add(f);
                uploads.addAll(send(plan, f));
            } else {
                fetch(plan, f);
            }
        }
        fill(here);
        return CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new));
    }

    /**
     * Puts the content of {@code files} (all here) in place of their pointer files, where the work tree still has the
     * pointer: content that a peer uploaded into this repository just before or after the merge that wrote the
     * pointer. Cheap for files already in place: a stat each. Returns how many it filled.
     */
    private int fill(List<AnnexedFile> files) throws RepoException {
        List<String> filled = new ArrayList<>();
        for (AnnexedFile f : files) {
            waiting.remove(f.path(), f);
            try {
                if (WorkTreeFiles.populate(repo, f)) {
                    filled.add(f.path());
                }
            } catch (UnsafePathException e) {
                LOG.warn("{}; its content is in the store", e.getMessage());
            }
        }
        WorkTreeFiles.refreshIndex(repo, filled);
        return filled.size();
    }

    /** Asks again for every file still waiting (the retry timer: its remote may be back). */
    void retryWaiting() throws RepoException {
        checkArrivals();
        // a file deleted or renamed since is no longer waited for under that name (a rename is a new file)
        waiting.values().removeIf(f -> !Files.exists(repo.workTree().resolve(f.path()), LinkOption.NOFOLLOW_LINKS));
        List<AnnexedFile> still = List.copyOf(waiting.values());
        if (!still.isEmpty()) {
            LOG.info("asking again for the content of {} files", still.size());
            handle(still);
        }
    }

    /**
     * Fills in the work-tree files whose content has arrived and sends it on; on the repository thread. Cheap when
     * nothing waits: one stat per waiting key.
     */
    void checkArrivals() throws RepoException {
        List<AnnexedFile> here = new ArrayList<>();
        for (AnnexedFile f : waiting.values()) {
            if (repo.hasContent(f.key())) {
                here.add(f);
            }
        }
        if (here.isEmpty()) {
            return;
        }
        arrived.addAndGet(here.size());
        LOG.info("content of {} files arrived", here.size());
        handle(here);
    }

    /** The routing of one round: the map, the reachable remotes and who holds each key. */
    private record Plan(RepoMap map, List<RemoteConfig> reachable, Map<Key, Set<Uuid>> holders) {}

    private Plan plan(List<AnnexedFile> files) throws RepoException {
        RepoMap map = RepoMap.load(repo, clock);
        List<Key> keys = files.stream().map(AnnexedFile::key).distinct().toList();
        Map<Key, Set<Uuid>> holders = new LinkedHashMap<>(repo.branch().locations(keys));
        for (Key k : keys) {
            if (repo.hasContent(k)) {
                Set<Uuid> h = new HashSet<>(holders.getOrDefault(k, Set.of()));
                h.add(repo.uuid());
                holders.put(k, h);
            }
        }
        return new Plan(map, reachable(), holders);
    }

    /** Remotes that may be used for content now: not ignored, and (for a path) there. */
    private List<RemoteConfig> reachable() {
        return repo.remotes().stream()
                .filter(r -> !r.ignored())
                .filter(r -> r.localPath(repo.workTree()).map(Files::isDirectory).orElse(true))
                .toList();
    }

    private List<CompletableFuture<ItemResult>> send(Plan plan, AnnexedFile f) {
        List<RemoteConfig> to = plan.map().uploadTo(f.key(), plan.holders().getOrDefault(f.key(), Set.of()),
                plan.reachable());
        List<CompletableFuture<ItemResult>> sent = new ArrayList<>(to.size());
        for (RemoteConfig r : to) {
            sent.add(engine.upload(f, r).whenComplete((result, error) -> logFailure(f, result, error)));
        }
        return sent;
    }

    private void fetch(Plan plan, AnnexedFile f) {
        waiting.put(f.path(), f);
        List<RemoteConfig> from = plan.map().downloadFrom(f.key(), plan.holders().getOrDefault(f.key(), Set.of()),
                plan.reachable());
        if (from.isEmpty()) {
            LOG.debug("no reachable remote has {} yet; waiting for it", f.path());
            return;
        }
        engine.getAll(List.of(f), file -> from).get(0).whenComplete((result, error) -> {
            logFailure(f, result, error);
            repoThread.once("content arrived", this::checkArrivals);
        });
    }

    private static void logFailure(AnnexedFile f, ItemResult result, Throwable error) {
        if (error != null) {
            LOG.debug("transfer of {} ended: {}", f.path(), error.getMessage());
        } else if (result.status() == ItemResult.Status.FAILED) {
            LOG.warn("transfer of {} failed: {}", f.path(), result.message());
        }
    }
}
