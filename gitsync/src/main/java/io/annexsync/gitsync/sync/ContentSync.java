package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.content.ContentOps;
import io.annexsync.gitsync.content.ItemResult;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code sync --content}: for every annexed file, its content is fetched here when missing and then sent on, both
 * as the {@link ContentRouting} says (by default every reachable remote; with the network map, along the cheapest
 * tree, store and forward). Presence is checked in the remote's store itself, so a stale location log never skips a
 * copy. Files move on a few threads at once: each copy is forced to disk before it enters a store, and concurrent
 * syncs are committed together by the file system. Owns its threads for one run.
 */
final class ContentSync {
    /** Files in flight at once; more only queued on the same disk here. */
    private static final int WORKERS = 8;

    private final AnnexRepo repo;
    private final ContentRouting routing;

    ContentSync(AnnexRepo repo, ContentRouting routing) {
        this.repo = repo;
        this.routing = routing;
    }

    /** Gets and sends content; the location logs of every new copy are written once at the end. */
    List<ItemResult> run(List<RemoteConfig> remotes, Progress progress) throws RepoException {
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS, threads());
        try (ContentOps ops = new ContentOps(repo)) {
            List<RemoteConfig> reachable = remotes.stream().filter(r -> !r.ignored() && reachable(ops, r)).toList();
            List<AnnexedFile> files = repo.annexedFiles(List.of(repo.workTree()));
            List<Future<List<ItemResult>>> futures = new ArrayList<>(files.size());
            for (AnnexedFile f : files) {
                futures.add(pool.submit(() -> move(ops, f, reachable, progress)));
            }
            List<ItemResult> results = new ArrayList<>();
            for (List<ItemResult> r : await(futures)) {
                results.addAll(r);
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One file: fetched if missing, then sent where the routing says. */
    private List<ItemResult> move(ContentOps ops, AnnexedFile f, List<RemoteConfig> reachable, Progress progress)
            throws RepoException {
        Set<Uuid> holders = routing.needsHolders() ? repo.branch().locations(f.key()) : Set.of();
        List<ItemResult> results = new ArrayList<>();
        ItemResult got = repo.hasContent(f.key())
                ? ops.get(f, Optional.empty(), progress) // content here already: only puts an unlocked file in place
                : fetch(ops, f, routing.downloadFrom(f.key(), holders, reachable), progress);
        if (got.status() != ItemResult.Status.NOTHING_TO_DO) {
            results.add(got);
        }
        if (repo.hasContent(f.key())) {
            for (RemoteConfig target : routing.uploadTo(f.key(), holders, reachable)) {
                ItemResult sent = ops.copyTo(f, target.name(), progress);
                if (sent.status() != ItemResult.Status.NOTHING_TO_DO) {
                    results.add(sent);
                }
            }
        }
        return results;
    }

    private static ItemResult fetch(ContentOps ops, AnnexedFile f, List<RemoteConfig> sources, Progress progress)
            throws RepoException {
        ItemResult last = ItemResult.nothingToDo(f.path(), f.key());
        for (RemoteConfig source : sources) {
            last = ops.get(f, Optional.of(source.name()), progress);
            if (last.status() == ItemResult.Status.OK) {
                return last;
            }
        }
        return last;
    }

    private static List<List<ItemResult>> await(List<Future<List<ItemResult>>> futures) throws RepoException {
        List<List<ItemResult>> results = new ArrayList<>(futures.size());
        try {
            for (Future<List<ItemResult>> f : futures) {
                results.add(f.get());
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new RepoException("content transfers interrupted", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
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
