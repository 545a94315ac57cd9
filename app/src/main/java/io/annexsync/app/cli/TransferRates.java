package io.annexsync.app.cli;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.transfer.record.Direction;
import io.annexsync.transfer.record.TransferInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The rate of each running transfer from the bytes done seen at successive refreshes of {@code transfers --watch}.
 *
 * <p>Status files are rewritten only when a transfer moved 1% of its size and at most four times a second, so two
 * refreshes a second apart often see the same count and then a jump. The rate is therefore the last step between two
 * refreshes that saw different counts, divided by the time between them; it holds while the next step is not overdue
 * and then falls the longer the count stands still. Before the second distinct count, it is the average since the
 * transfer started. Not thread-safe: one per command run.
 */
final class TransferRates {
    /** A transfer's identity; a restarted transfer has a new start time and starts afresh. */
    private record Id(Direction direction, Uuid remote, Key key, Instant started) {
        static Id of(TransferInfo i) {
            return new Id(i.direction(), i.remote(), i.key(), i.started());
        }
    }

    /** The count last seen, since when, and the step that led to it. */
    private record Track(long bytes, Instant since, long step, Duration stepTook) {
    }

    private Map<Id, Track> tracks = new HashMap<>();

    /** Takes in the counts of one refresh at {@code at}; transfers no longer running are forgotten. */
    void refresh(List<TransferInfo> running, Instant at) {
        Map<Id, Track> next = new HashMap<>();
        for (TransferInfo i : running) {
            if (i.bytesDone().isEmpty()) {
                continue;
            }
            long bytes = i.bytesDone().getAsLong();
            Track before = tracks.get(Id.of(i));
            Track now;
            if (before == null || bytes < before.bytes()) {
                now = new Track(bytes, at, 0, Duration.ZERO);
            } else if (bytes == before.bytes()) {
                now = before;
            } else {
                now = new Track(bytes, at, bytes - before.bytes(), Duration.between(before.since(), at));
            }
            next.put(Id.of(i), now);
        }
        tracks = next;
    }

    /** Bytes a second of {@code i} at {@code at}, the last {@link #refresh}; empty when its bytes are unknown. */
    OptionalDouble rate(TransferInfo i, Instant at) {
        if (i.bytesDone().isEmpty()) {
            return OptionalDouble.empty();
        }
        Track t = tracks.get(Id.of(i));
        if (t == null || t.stepTook().isZero()) {
            return average(i, at);
        }
        Duration still = Duration.between(t.since(), at);
        return TransferUnits.rate(0, t.step(), still.compareTo(t.stepTook()) > 0 ? still : t.stepTook());
    }

    /** Bytes a second of {@code i} since it started, for a single look. */
    static OptionalDouble average(TransferInfo i, Instant at) {
        if (i.bytesDone().isEmpty()) {
            return OptionalDouble.empty();
        }
        return TransferUnits.rate(0, i.bytesDone().getAsLong(), Duration.between(i.started(), at));
    }
}
