package io.annexsync.gitsync.content;

import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * {@link ContentTransfers} without the transfer engine: each transfer is a direct copy by {@link ContentOps} on the
 * given executor, whose location-log lines the {@code ContentOps} writes when it is flushed. Nothing is queued or
 * recorded for other processes to see.
 */
public final class DirectTransfers implements ContentTransfers {
    private final ContentOps ops;
    private final Progress progress;
    private final Executor executor;

    public DirectTransfers(ContentOps ops, Progress progress, Executor executor) {
        this.ops = ops;
        this.progress = progress;
        this.executor = executor;
    }

    @Override
    public CompletableFuture<ItemResult> download(AnnexedFile file, RemoteConfig from) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ops.get(file, Optional.of(from.name()), progress);
            } catch (RepoException e) {
                throw new CompletionException(e);
            }
        }, executor);
    }

    @Override
    public CompletableFuture<ItemResult> upload(AnnexedFile file, RemoteConfig to) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ops.copyTo(file, to.name(), progress);
            } catch (RepoException e) {
                throw new CompletionException(e);
            }
        }, executor);
    }
}
