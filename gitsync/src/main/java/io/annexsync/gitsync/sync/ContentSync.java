package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.content.ContentOps;
import io.annexsync.gitsync.content.ContentTransfers;
import io.annexsync.gitsync.content.DirectTransfers;
import io.annexsync.gitsync.content.ItemResult;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code sync --content}: for every annexed file, its content is fetched here when missing and then sent on, both
 * as the {@link ContentRouting} says (by default every reachable remote; with the network map, along the cheapest
 * tree, store and forward). The moving itself is asked of a {@link ContentTransfers} (the transfer engine, or
 * direct copies), all files at once: a file's uploads are asked for as soon as its download completes. Presence is
 * checked in the remote's store itself, so a stale location log never skips a copy. Owns its threads for one run.
 */
final class ContentSync {
    /** Threads for the bookkeeping between transfers (and for the direct copies when there is no engine). */
    private static final int WORKERS = 8;

    private final AnnexRepo repo;
    private final ContentRouting routing;
    private final Optional<ContentTransfers> engine;

    ContentSync(AnnexRepo repo, ContentRouting routing, Optional<ContentTransfers> engine) {
        this.repo = repo;
        this.routing = routing;
        this.engine = engine;
    }

    /** Gets and sends content; the location logs of every new copy are written once at the end. */
    List<ItemResult> run(List<RemoteConfig> remotes, Progress progress) throws RepoException {
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS, threads());
        try (ContentOps ops = new ContentOps(repo)) {
            ContentTransfers transfers = engine.orElseGet(() -> new DirectTransfers(ops, progress, pool));
            List<RemoteConfig> reachable = remotes.stream().filter(r -> !r.ignored() && reachable(ops, r)).toList();
            List<AnnexedFile> files = repo.annexedFiles(List.of(repo.workTree()));
            List<CompletableFuture<List<ItemResult>>> futures = new ArrayList<>(files.size());
            for (AnnexedFile f : files) {
                futures.add(CompletableFuture.supplyAsync(() -> holders(f), pool)
                        .thenCompose(holders -> move(ops, transfers, pool, f, holders, reachable, progress)));
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
    private CompletableFuture<List<ItemResult>> move(ContentOps ops, ContentTransfers transfers, ExecutorService pool,
            AnnexedFile f, Set<Uuid> holders, List<RemoteConfig> reachable, Progress progress) {
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
            ItemResult placed = populate(ops, f, progress);
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
    private static ItemResult populate(ContentOps ops, AnnexedFile f, Progress progress) {
        try {
            return ops.get(f, Optional.empty(), progress);
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

    private static boolean reachable(ContentOps ops, RemoteConfig remote) {
        try {
            ops.open(remote);
            return true;
        } catch (RepoException e) {
            return false;
        }
    }
}
