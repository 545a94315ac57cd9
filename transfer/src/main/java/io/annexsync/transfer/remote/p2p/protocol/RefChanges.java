package io.annexsync.transfer.remote.p2p.protocol;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where the server learns that this repository's refs changed, to answer {@code NOTIFYCHANGE}: the daemon's
 * committer and merger call the listeners (a test calls them by hand). Implementations are thread-safe; listeners
 * only enqueue.
 */
@FunctionalInterface
public interface RefChanges {
    /** A subscription; closing it stops the calls. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** Calls {@code listener} with the new SHAs of the changed refs each time refs change, until closed. */
    Subscription subscribe(Consumer<List<String>> listener);

    /** No changes, ever: for a server without a daemon behind it. */
    static RefChanges none() {
        return listener -> () -> { };
    }
}
