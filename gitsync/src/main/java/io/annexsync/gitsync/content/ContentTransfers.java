package io.annexsync.gitsync.content;

import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.util.concurrent.CompletableFuture;

/**
 * Moves the content of one annexed file between this repository and one remote, asynchronously: what
 * {@code sync --content} asks of whoever moves content. The transfer engine (module {@code transfer}) implements it
 * with its persistent queue and workers; {@link DirectTransfers} copies directly through {@link ContentOps}, for
 * code that runs without the engine. Each future completes with an {@link ItemResult} (OK, NOTHING_TO_DO when there
 * was nothing to move, FAILED with the reason) or exceptionally when the repository itself cannot be used.
 * Implementations are thread-safe.
 */
public interface ContentTransfers {
    /** Fetches the file's content from {@code from} into this repository. */
    CompletableFuture<ItemResult> download(AnnexedFile file, RemoteConfig from);

    /** Sends the file's content, present here, to {@code to}. */
    CompletableFuture<ItemResult> upload(AnnexedFile file, RemoteConfig to);

    /**
     * Writes the location-log lines of the copies made so far, if the implementation gathers them; called once the
     * transfers asked for have completed.
     */
    default void flush() throws RepoException {}
}
