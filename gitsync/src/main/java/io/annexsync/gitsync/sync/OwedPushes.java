package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.StateDb;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pushes owed to remotes that could not take them, with when to try each again. Table {@code owed_push} in
 * {@code .git/annex-sync/state.db} (SQLite, WAL, immediate transactions, busy timeout), so the debt survives a
 * restart. Times are stored as epoch nanoseconds.
 *
 * <p>Thread-safe: methods synchronise on the one connection, and several instances or processes may share the file
 * (each change is one immediate transaction). The owner closes it.
 */
public final class OwedPushes implements AutoCloseable {
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS owed_push(
              remote TEXT PRIMARY KEY, error TEXT NOT NULL, attempts INTEGER NOT NULL,
              first_failed_ns INTEGER NOT NULL, next_try_ns INTEGER NOT NULL)""";
    private static final String COLUMNS = "SELECT remote, error, attempts, first_failed_ns, next_try_ns FROM owed_push";
    private static final String UPSERT = "INSERT OR REPLACE INTO owed_push"
            + "(remote, error, attempts, first_failed_ns, next_try_ns) VALUES (?,?,?,?,?)";
    private static final Logger LOG = LoggerFactory.getLogger(OwedPushes.class);

    private final Connection connection;
    private final Clock clock;
    private final RetryPolicy policy;
    private final RandomGenerator random;

    private OwedPushes(Connection connection, Clock clock, RetryPolicy policy, RandomGenerator random) {
        this.connection = connection;
        this.clock = clock;
        this.policy = policy;
        this.random = random;
    }

    /** Opens (creating) the owed pushes of the repository whose git directory is {@code gitDir}. */
    public static OwedPushes open(Path gitDir, Clock clock, RetryPolicy policy) throws RepoException {
        return open(gitDir, clock, policy, new SplittableRandom());
    }

    /** As {@link #open(Path, Clock, RetryPolicy)}, with the source of retry jitter (seeded in tests). */
    public static OwedPushes open(Path gitDir, Clock clock, RetryPolicy policy, RandomGenerator random)
            throws RepoException {
        Objects.requireNonNull(gitDir, "gitDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(random, "random");
        try {
            return new OwedPushes(StateDb.open(gitDir, SCHEMA), clock, policy, random);
        } catch (IOException | SQLException e) {
            throw new RepoException("cannot open the owed pushes in " + StateDb.file(gitDir), e);
        }
    }

    /**
     * Records that a push to {@code remote} failed with {@code error}: one more attempt, and the next try after the
     * policy's delay for that many failures in a row. Returns the updated debt.
     */
    public synchronized OwedPush recordFailure(String remote, String error) throws RepoException {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(error, "error");
        try {
            connection.setAutoCommit(false);
            Instant now = clock.instant();
            Optional<OwedPush> before = find(remote);
            int attempts = before.map(o -> o.attempts() + 1).orElse(1);
            Instant first = before.map(OwedPush::firstFailed).orElse(now);
            Duration delay = policy.delayAfter(attempts, random);
            OwedPush owed = new OwedPush(remote, error, attempts, first, later(now, first).plus(delay));
            write(owed);
            connection.commit();
            return owed;
        } catch (SQLException e) {
            rollback();
            throw new RepoException("cannot record the failed push to " + remote, e);
        } finally {
            autoCommit();
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private Optional<OwedPush> find(String remote) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(COLUMNS + " WHERE remote = ?")) {
            ps.setString(1, remote);
            List<OwedPush> found = readAll(ps);
            return found.stream().findFirst();
        }
    }

    private void write(OwedPush owed) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(UPSERT)) {
            ps.setString(1, owed.remote());
            ps.setString(2, owed.error());
            ps.setInt(3, owed.attempts());
            ps.setLong(4, nanos(owed.firstFailed()));
            ps.setLong(5, nanos(owed.nextTry()));
            ps.executeUpdate();
        }
    }

    /** Forgets what is owed to {@code remote}, after a push to it succeeded. */
    public synchronized void clear(String remote) throws RepoException {
        Objects.requireNonNull(remote, "remote");
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM owed_push WHERE remote = ?")) {
            ps.setString(1, remote);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new RepoException("cannot clear the owed push to " + remote, e);
        }
    }

    /** Every owed push, by remote name. */
    public synchronized List<OwedPush> all() throws RepoException {
        try (PreparedStatement ps = connection.prepareStatement(COLUMNS + " ORDER BY remote")) {
            return readAll(ps);
        } catch (SQLException e) {
            throw new RepoException("cannot read the owed pushes", e);
        }
    }

    /** The owed pushes whose next try is now or past, by remote name. */
    public synchronized List<OwedPush> due() throws RepoException {
        try (PreparedStatement ps =
                connection.prepareStatement(COLUMNS + " WHERE next_try_ns <= ? ORDER BY remote")) {
            ps.setLong(1, nanos(clock.instant()));
            return readAll(ps);
        } catch (SQLException e) {
            throw new RepoException("cannot read the owed pushes", e);
        }
    }

    private static List<OwedPush> readAll(PreparedStatement ps) throws SQLException {
        List<OwedPush> all = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                all.add(new OwedPush(rs.getString(1), rs.getString(2), rs.getInt(3), instant(rs.getLong(4)),
                        instant(rs.getLong(5))));
            }
        }
        return all;
    }

    private static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("owed pushes: rollback failed: {}", e.toString());
        }
    }

    private void autoCommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.warn("owed pushes: cannot return to autocommit: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() throws RepoException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new RepoException("cannot close the owed pushes database", e);
        }
    }
}
