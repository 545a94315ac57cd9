package io.annexsync.transfer.remote;

import io.annexsync.gitsync.RepoException;
import java.util.Objects;

/** What {@link Remote#lockContent} did. */
public sealed interface Locking {
    /** A lock on a remote's copy; closing it lets the copy be dropped again. */
    interface Lock extends AutoCloseable {
        @Override
        void close() throws RepoException;
    }

    /** The remote's copy is there and locked until {@code lock} is closed. */
    record Locked(Lock lock) implements Locking {
        public Locked {
            Objects.requireNonNull(lock, "lock");
        }
    }

    /** The remote does not have the content: nothing is locked. */
    record NotPresent() implements Locking {}

    /** The remote could not lock it (it is not reachable, it refused): nothing is locked. */
    record Failed(String reason) implements Locking {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
