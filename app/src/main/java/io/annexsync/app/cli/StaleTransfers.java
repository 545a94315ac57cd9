package io.annexsync.app.cli;

import io.annexsync.app.assistant.DaemonFiles;
import io.annexsync.app.assistant.DaemonLock;
import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.transfer.queue.TransferQueue;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what dead processes left in the transfer queue before a listing shows it, so nothing claims to run that
 * does not: the items of commands whose process is gone ({@code process:PID:START} owners) are deleted, and the items
 * the assistant had claimed while no daemon holds the daemon lock (it died, by {@code kill -9} or a crash) go back
 * to QUEUED, which is what its next start would do. Best effort: a queue that cannot be written (a read-only folder)
 * is shown as it is.
 */
final class StaleTransfers {
    private static final Logger LOG = LoggerFactory.getLogger(StaleTransfers.class);

    private StaleTransfers() {}

    /** Clears the dead processes' claims in {@code queue}, the assistant's queue of {@code repo}. */
    static void clear(AnnexRepo repo, TransferQueue queue, Clock clock) {
        try {
            queue.removeDeadOwners();
            Instant seen = clock.instant(); // a daemon that starts after this claims after it
            if (queue.owner().equals(TransferQueue.ASSISTANT) && DaemonLock.running(DaemonFiles.of(repo.gitDir()))
                    .isEmpty()) {
                int n = queue.requeueClaimedBefore(seen);
                if (n > 0) {
                    LOG.debug("{} transfers the assistant had claimed before it stopped are queued again", n);
                }
            }
        } catch (RepoException e) {
            LOG.debug("cannot clear the claims of ended processes: {}", e.getMessage());
        }
    }
}
