package io.annexsync.gitsync.stage;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.StateDb;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.store.FileStamp;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers the stat data of every file annex-sync staged, so an unchanged file is never hashed again. A SQLite
 * database in {@code .git/annex-sync/state.db} (WAL, immediate transactions, busy timeout), table {@code stat_cache}.
 * An entry counts only while inode, size, mtime and ctime are unchanged and it is not {@link CachedStat#racy racy}.
 *
 * <p>Thread-safe (methods synchronise on the one connection); several processes may share the file. The owner closes
 * it.
 */
public final class StatCache implements AutoCloseable {
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS stat_cache(
              path TEXT PRIMARY KEY, inode INTEGER NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
              ctime_ns INTEGER NOT NULL, mode INTEGER NOT NULL, blob TEXT NOT NULL, key TEXT,
              cached_ns INTEGER NOT NULL)""";
    private static final String UPSERT = "INSERT OR REPLACE INTO stat_cache"
            + "(path, inode, size, mtime_ns, ctime_ns, mode, blob, key, cached_ns) VALUES (?,?,?,?,?,?,?,?,?)";

    private static final Logger LOG = LoggerFactory.getLogger(StatCache.class);
    private final Connection connection;
    private final Clock clock;

    private StatCache(Connection connection, Clock clock) {
        this.connection = connection;
        this.clock = clock;
    }

    /** Opens (creating) the cache of the repository whose git directory is {@code gitDir}. */
    public static StatCache open(Path gitDir, Clock clock) throws RepoException {
        try {
            return new StatCache(StateDb.open(gitDir, SCHEMA), clock);
        } catch (IOException | SQLException e) {
            throw new RepoException("cannot open stat cache " + StateDb.file(gitDir), e);
        }
    }

    /** Every cached entry, by path. */
    public synchronized Map<String, CachedStat> loadAll() throws RepoException {
        Map<String, CachedStat> all = new HashMap<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT path, inode, size, mtime_ns, ctime_ns, mode, blob, key, "
                        + "cached_ns FROM stat_cache")) {
            while (rs.next()) {
                CachedStat c = read(rs);
                all.put(c.path(), c);
            }
            return all;
        } catch (SQLException e) {
            throw new RepoException("cannot read stat cache", e);
        }
    }

    private static CachedStat read(ResultSet rs) throws SQLException {
        FileStamp stamp = new FileStamp(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
        Optional<Key> key = Optional.ofNullable(rs.getString(8)).flatMap(Key::parse);
        return new CachedStat(rs.getString(1), stamp, rs.getInt(6), rs.getString(7), key, rs.getLong(9));
    }

    /** The entry for {@code path} if it still describes the file as {@code current} stats it and is not racy. */
    public static Optional<CachedStat> valid(Optional<CachedStat> entry, FileStamp current) {
        return entry.filter(c -> c.stamp().equals(current) && !c.racy());
    }

    /**
     * Records freshly staged files in one transaction. Each entry's {@code cachedAtNanos} must be a time taken before
     * its file was stat'ed (see {@link #now}), so the racy rule stays conservative.
     */
    public synchronized void putAll(Collection<CachedStat> entries) throws RepoException {
        try (PreparedStatement ps = connection.prepareStatement(UPSERT)) {
            connection.setAutoCommit(false);
            for (CachedStat c : entries) {
                bind(ps, c);
                ps.addBatch();
            }
            ps.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            rollback();
            throw new RepoException("cannot write stat cache", e);
        } finally {
            autoCommit();
        }
    }

    private static void bind(PreparedStatement ps, CachedStat c) throws SQLException {
        ps.setString(1, c.path());
        ps.setLong(2, c.stamp().inode());
        ps.setLong(3, c.stamp().size());
        ps.setLong(4, c.stamp().mtimeNanos());
        ps.setLong(5, c.stamp().ctimeNanos());
        ps.setInt(6, c.mode());
        ps.setString(7, c.blobId());
        ps.setString(8, c.key().map(Key::serialize).orElse(null));
        ps.setLong(9, c.cachedAtNanos());
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("stat cache rollback failed: {}", e.toString());
        }
    }

    private void autoCommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.warn("stat cache autocommit failed: {}", e.toString());
        }
    }

    /** The cache clock's time in epoch nanoseconds: take it before stat'ing the files of a run. */
    public long now() {
        return nanos(clock.instant());
    }

    private static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    @Override
    public synchronized void close() throws RepoException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new RepoException("cannot close stat cache", e);
        }
    }
}
