package io.annexsync.transfer.queue;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rows of table {@code transfer_queue} as values, and times as the epoch nanoseconds stored in it. Stateless.
 */
final class QueueRows {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private QueueRows() {}

    /** Every row {@code ps} returns, whose columns are {@code TransferQueue}'s full column list in order. */
    static List<QueueItem> readAll(PreparedStatement ps) throws SQLException {
        List<QueueItem> all = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                all.add(item(rs));
            }
        }
        return all;
    }

    private static QueueItem item(ResultSet rs) throws SQLException {
        long started = rs.getLong(14);
        Optional<Instant> startedAt = rs.wasNull() ? Optional.empty() : Optional.of(instant(started));
        return new QueueItem(rs.getLong(1), request(rs, 2), QueueItem.State.valueOf(rs.getString(9)), rs.getInt(10),
                instant(rs.getLong(11)), instant(rs.getLong(12)), Optional.ofNullable(rs.getString(13)), startedAt,
                Optional.ofNullable(rs.getString(15)), rs.getString(16));
    }

    /** The request in the seven columns from {@code first}: key, remote, remote_uuid, way, file, cost, priority. */
    static TransferRequest request(ResultSet rs, int first) throws SQLException {
        return new TransferRequest(Key.of(rs.getString(first)), rs.getString(first + 1),
                new Uuid(rs.getString(first + 2)), TransferRequest.Way.valueOf(rs.getString(first + 3)),
                Optional.ofNullable(rs.getString(first + 4)), rs.getDouble(first + 5), rs.getInt(first + 6));
    }

    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), NANOS_PER_SECOND), t.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }
}
