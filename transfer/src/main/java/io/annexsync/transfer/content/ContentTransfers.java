package io.annexsync.transfer.content;

import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.content.ItemResult;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.util.concurrent.CompletableFuture;

/**
 * Moves the content of one annexed file between this repository and one remote, asynchronously: what
 * {@code sync --content} asks of whoever moves content. The transfer engine implements it with its persistent queue
 * and workers ({@code EngineTransfers}). Each future completes with an {@link ItemResult} (OK, NOTHING_TO_DO when there
 * was nothing to move, FAILED with the reason) or exceptionally when the repository itself cannot be used.
 * Implementations are thread-safe.
 */
public interface ContentTransfers {
    /** Fetches the file's content from {@code from} into this repository. */
    CompletableFuture<ItemResult> download(AnnexedFile file, RemoteConfig from);

    /**
     * Whether content can be moved with {@code remote} now: a kind of remote knows it and it opens (a path remote's
     * folder is there and holds the repository recorded for it). May block (it opens the remote).
     */
    boolean usable(RemoteConfig remote);

    /** Sends the file's content, present here, to {@code to}. */
    CompletableFuture<ItemResult> upload(AnnexedFile file, RemoteConfig to);

    /**
     * Writes the location-log lines of the copies made so far, if the implementation gathers them; called once the
     * transfers asked for have completed.
     */
    default void flush() throws RepoException {}
}
