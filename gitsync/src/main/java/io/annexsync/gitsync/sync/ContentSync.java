package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.content.ContentOps;
import io.annexsync.gitsync.content.ItemResult;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code sync --content}: every annexed file's content is fetched here when missing, then sent to every remote that
 * lacks it, so every repository ends with every file (numcopies and preferred content come later; the network map
 * later replaces "every remote" by the cheapest tree). Presence is checked in the remote's store itself, not only
 * in the location log, so a stale log never skips a copy. Files move on a few threads at once: each copy is forced
 * to disk before it enters a store, and concurrent syncs are committed together by the file system. Owns its
 * threads for one run.
 */
final class ContentSync {
    /** Copies in flight at once; more only queued on the same disk here. */
    private static final int WORKERS = 8;

    private final AnnexRepo repo;

    ContentSync(AnnexRepo repo) {
        this.repo = repo;
    }

    /** Gets and sends content; the location logs of every new copy are written once at the end. */
    List<ItemResult> run(List<RemoteConfig> remotes, Progress progress) throws RepoException {
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS, threads());
        try (ContentOps ops = new ContentOps(repo)) {
            List<AnnexedFile> files = repo.annexedFiles(List.of(repo.workTree()));
            List<ItemResult> results = new ArrayList<>(all(pool, files, f -> ops.get(f, Optional.empty(), progress)));
            for (RemoteConfig remote : remotes) {
                if (!remote.ignored() && reachable(ops, remote)) {
                    List<AnnexedFile> here = files.stream().filter(f -> repo.hasContent(f.key())).toList();
                    results.addAll(all(pool, here, f -> ops.copyTo(f, remote.name(), progress)));
                }
            }
            results.removeIf(r -> r.status() == ItemResult.Status.NOTHING_TO_DO);
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One file's transfer. */
    @FunctionalInterface
    private interface Transfer {
        ItemResult run(AnnexedFile file) throws RepoException;
    }

    private static List<ItemResult> all(ExecutorService pool, List<AnnexedFile> files, Transfer transfer)
            throws RepoException {
        List<Future<ItemResult>> futures = new ArrayList<>(files.size());
        for (AnnexedFile f : files) {
            futures.add(pool.submit(() -> transfer.run(f)));
        }
        List<ItemResult> results = new ArrayList<>(files.size());
        try {
            for (Future<ItemResult> f : futures) {
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
