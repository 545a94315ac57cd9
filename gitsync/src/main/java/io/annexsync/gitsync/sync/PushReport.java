package io.annexsync.gitsync.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * Turns JGit's per-ref push results into one {@link PushOutcome} per remote.
 *
 * <p>A refusal outweighs a success: when {@code synced/main} is rejected but the forced {@code synced/git-annex} went
 * through, the remote is {@link PushStatus#REJECTED}, because the remote still lacks our branch and the caller must
 * fetch, merge and push again. So the order of precedence is FAILED, REJECTED, OK, UP_TO_DATE.
 *
 * <p>A ref the remote could not lock ({@code failed to lock}: another peer pushes into the same remote at this
 * moment, or the remote's own daemon moves the ref) is {@link PushStatus#REJECTED} too: the remote is busy, not
 * broken, and after fetching and merging what the other writer put there the push goes through. Stateless.
 */
final class PushReport {
    private PushReport() {}

    /** The outcome of a push to {@code remote} that JGit reported as {@code results}. */
    static PushOutcome of(String remote, Iterable<PushResult> results, Duration elapsed) {
        List<RemoteRefUpdate> updates = new ArrayList<>();
        results.forEach(r -> updates.addAll(r.getRemoteUpdates()));
        PushStatus status = updates.stream()
                .map(u -> classify(u.getStatus(), u.getMessage()))
                .max(Comparator.comparingInt(PushReport::severity))
                .orElse(PushStatus.UP_TO_DATE);
        return new PushOutcome(remote, status, message(remote, status, updates), elapsed);
    }

    /** Our status for one ref's JGit status and the remote's message about it (may be null). */
    static PushStatus classify(RemoteRefUpdate.Status status, String message) {
        return switch (status) {
            case OK -> PushStatus.OK;
            case UP_TO_DATE -> PushStatus.UP_TO_DATE;
            case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> PushStatus.REJECTED;
            case REJECTED_OTHER_REASON -> isLockFailure(message) ? PushStatus.REJECTED : PushStatus.FAILED;
            case NOT_ATTEMPTED, AWAITING_REPORT, NON_EXISTING, REJECTED_NODELETE -> PushStatus.FAILED;
        };
    }

    /** Whether the remote refused a ref because another writer held its lock (JGit: "failed to lock"). */
    private static boolean isLockFailure(String message) {
        return message != null && message.toLowerCase(Locale.ROOT).contains("lock");
    }

    private static int severity(PushStatus status) {
        return switch (status) {
            case UP_TO_DATE -> 0;
            case OK -> 1;
            case REJECTED -> 2;
            case UNREACHABLE -> 3;
            case FAILED -> 4;
        };
    }

    private static String message(String remote, PushStatus status, List<RemoteRefUpdate> updates) {
        if (status == PushStatus.UP_TO_DATE) {
            return remote + " is up to date";
        }
        List<String> parts = updates.stream()
                .filter(u -> u.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE)
                .map(PushReport::describe)
                .toList();
        String advice = switch (status) {
            case REJECTED -> "; " + remote + " has commits we lack: fetch and merge them, then sync again";
            case FAILED -> "; check the remote's hooks and that the refs exist, then sync again";
            default -> "";
        };
        return "push to " + remote + ": " + String.join(", ", parts) + advice;
    }

    private static String describe(RemoteRefUpdate update) {
        String ref = Repository.shortenRefName(update.getRemoteName());
        String detail = update.getMessage() == null ? "" : " (" + update.getMessage() + ")";
        return switch (update.getStatus()) {
            case OK -> ref + " updated";
            case UP_TO_DATE -> ref + " up to date";
            case REJECTED_NONFASTFORWARD -> ref + " rejected (non-fast-forward)";
            case REJECTED_REMOTE_CHANGED -> ref + " rejected (changed on the remote while we pushed)";
            case REJECTED_NODELETE -> ref + " not deleted (the remote refuses deletions)";
            case REJECTED_OTHER_REASON -> isLockFailure(update.getMessage())
                    ? ref + " busy on the remote" + detail + ", another writer held it"
                    : ref + " refused by the remote" + detail;
            case NON_EXISTING -> ref + " does not exist on the remote";
            case NOT_ATTEMPTED, AWAITING_REPORT -> ref + " not pushed (the remote did not report)" + detail;
        };
    }
}
