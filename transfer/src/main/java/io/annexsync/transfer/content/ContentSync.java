package io.annexsync.transfer.content;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.content.ContentOps;
import io.annexsync.gitsync.content.ItemResult;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.sync.ContentStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The content step of {@code sync --content} ({@link ContentStep}): for every annexed file, its content is fetched
 * here when missing and then sent on, both as the {@link ContentRouting} made after the merge says (the network
 * map's cheapest tree, store and forward; flooding while the map is incomplete). The moving itself is asked of a
 * {@link ContentTransfers} (the transfer engine), all files at once: a file's uploads are asked for as soon as its
 * download completes. Presence is checked in the remote itself, so a stale location log never skips a copy. Owns
 * its threads for one run; one run at a time.
 */
public final class ContentSync implements ContentStep {
    /** Threads for the bookkeeping between transfers. */
    private static final int WORKERS = 8;

    private final ContentRouting.Factory routings;
    private final ContentTransfers transfers;
    private AnnexRepo repo;
    private ContentRouting routing;

    /** A content step along the routing {@code routings} makes after the merge, moving content by {@code transfers}. */
    public ContentSync(ContentRouting.Factory routings, ContentTransfers transfers) {
        this.routings = routings;
        this.transfers = transfers;
    }

    /** Gets and sends content; the location logs of every new copy are written once at the end. */
    @Override
    public synchronized List<ItemResult> run(AnnexRepo repo, List<RemoteConfig> remotes, Progress progress)
            throws RepoException {
        this.repo = repo;
        this.routing = routings.create(repo);
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS, threads());
        try (ContentOps ops = new ContentOps(repo)) {
            List<RemoteConfig> reachable = remotes.stream().filter(r -> !r.ignored() && transfers.usable(r)).toList();
            List<AnnexedFile> files = repo.annexedFiles(List.of(repo.workTree()));
            List<CompletableFuture<List<ItemResult>>> futures = new ArrayList<>(files.size());
            for (AnnexedFile f : files) {
                futures.add(CompletableFuture.supplyAsync(() -> holders(f), pool)
                        .thenCompose(holders -> move(ops, pool, f, holders, reachable)));
            }
            List<ItemResult> results = new ArrayList<>();
            for (List<ItemResult> r : await(futures)) {
                results.addAll(r);
            }
            transfers.flush();
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private Set<Uuid> holders(AnnexedFile f) {
        try {
            return routing.needsHolders() ? repo.branch().locations(f.key()) : Set.of();
        } catch (RepoException e) {
            throw new CompletionException(e);
        }
    }

    /** One file: fetched if missing, put in place, then sent where the routing says. */
    private CompletableFuture<List<ItemResult>> move(ContentOps ops, ExecutorService pool, AnnexedFile f,
            Set<Uuid> holders, List<RemoteConfig> reachable) {
        CompletableFuture<ItemResult> got = repo.hasContent(f.key())
                ? CompletableFuture.completedFuture(ItemResult.nothingToDo(f.path(), f.key()))
                : fetch(transfers, f, routing.downloadFrom(f.key(), holders, reachable), 0,
                        ItemResult.nothingToDo(f.path(), f.key()));
        return got.thenComposeAsync(g -> {
            List<ItemResult> results = new ArrayList<>();
            if (!repo.hasContent(f.key())) {
                addUnlessNothing(results, g);
                return CompletableFuture.completedFuture(results);
            }
            ItemResult placed = populate(ops, f);
            addUnlessNothing(results, g.status() == ItemResult.Status.NOTHING_TO_DO ? placed : g);
            List<CompletableFuture<ItemResult>> sends = routing.uploadTo(f.key(), holders, reachable).stream()
                    .map(target -> transfers.upload(f, target))
                    .toList();
            return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).thenApply(v -> {
                sends.forEach(s -> addUnlessNothing(results, s.join()));
                return results;
            });
        }, pool);
    }

    /** Tries the sources in order until one gives the content. */
    private static CompletableFuture<ItemResult> fetch(ContentTransfers transfers, AnnexedFile f,
            List<RemoteConfig> sources, int next, ItemResult last) {
        if (next >= sources.size()) {
            return CompletableFuture.completedFuture(last);
        }
        return transfers.download(f, sources.get(next)).thenCompose(r -> r.status() == ItemResult.Status.OK
                ? CompletableFuture.completedFuture(r)
                : fetch(transfers, f, sources, next + 1, r));
    }

    /** Puts an unlocked file's content in place (its index entry is refreshed when {@code ops} is flushed). */
    private static ItemResult populate(ContentOps ops, AnnexedFile f) {
        try {
            return ops.populate(f);
        } catch (RepoException e) {
            throw new CompletionException(e);
        }
    }

    private static synchronized void addUnlessNothing(List<ItemResult> results, ItemResult r) {
        if (r.status() != ItemResult.Status.NOTHING_TO_DO) {
            results.add(r);
        }
    }

    private static List<List<ItemResult>> await(List<CompletableFuture<List<ItemResult>>> futures)
            throws RepoException {
        List<List<ItemResult>> results = new ArrayList<>(futures.size());
        try {
            for (CompletableFuture<List<ItemResult>> f : futures) {
                results.add(f.get());
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new RepoException("content transfers interrupted", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            throw cause instanceof RepoException r ? r : new RepoException("content transfer failed: " + cause, cause);
        }
        return results;
    }

    private static ThreadFactory threads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "annex-sync-content-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
