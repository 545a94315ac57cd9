package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.StateDb;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest incoming commit of each source whose unsafe paths a merge left out, for {@code status} and the daemon's
 * status: tables {@code unsafe_commit} and {@code unsafe_path} in {@code .git/annex-sync/state.db}. A source is a
 * remote (any of its refs), or the ref a peer pushed into ({@code refs/heads/synced/main}). Its record stays while
 * its commits still carry unsafe paths and goes once one of them is clean. What was recorded once (by path) is not
 * news the next time: only new paths are reported again. At most {@link #MAX_PATHS} paths are kept per commit.
 *
 * <p>Thread-safe: methods synchronise on the one connection; several processes may share the file (each change is
 * one immediate transaction). The owner closes it.
 */
public final class UnsafeCommits implements AutoCloseable {
    /** The most paths kept for one commit; a tree with more is still left out whole, but only these are listed. */
    public static final int MAX_PATHS = 10_000;

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS unsafe_commit(
              source TEXT PRIMARY KEY, ref TEXT NOT NULL, remote TEXT NOT NULL, commit_id TEXT NOT NULL)""";
    private static final String PATHS = """
            CREATE TABLE IF NOT EXISTS unsafe_path(
              source TEXT NOT NULL, path TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY(source, path))""";
    private static final String PATH_INDEX = "CREATE INDEX IF NOT EXISTS unsafe_path_by_path ON unsafe_path(path)";
    private static final Logger LOG = LoggerFactory.getLogger(UnsafeCommits.class);

    private final Connection connection;

    private UnsafeCommits(Connection connection) {
        this.connection = connection;
    }

    /** Opens (creating) the records of the repository whose git directory is {@code gitDir}. */
    public static UnsafeCommits open(Path gitDir) throws RepoException {
        Objects.requireNonNull(gitDir, "gitDir");
        try {
            Connection c = StateDb.open(gitDir, SCHEMA);
            try (Statement s = c.createStatement()) {
                s.execute(PATHS);
                s.execute(PATH_INDEX);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return new UnsafeCommits(c);
        } catch (IOException | SQLException e) {
            throw new RepoException("cannot open the record of unsafe commits in " + StateDb.file(gitDir), e);
        }
    }

    /** The key a commit is recorded under: its remote, or the ref a peer pushed into. */
    static String source(UnsafeCommit c) {
        return c.remote().orElse(c.ref());
    }

    /**
     * Records {@code commit} as the latest from its source, replacing what that source had; returns its paths that
     * no record (of any source) listed before.
     */
    public synchronized List<UnsafePath> record(UnsafeCommit commit) throws RepoException {
        Objects.requireNonNull(commit, "commit");
        try {
            connection.setAutoCommit(false);
            List<UnsafePath> fresh = new ArrayList<>();
            for (UnsafePath p : commit.paths()) {
                if (!known(p.path())) {
                    fresh.add(p);
                }
            }
            delete(source(commit));
            insert(commit);
            connection.commit();
            return fresh;
        } catch (SQLException e) {
            rollback();
            throw new RepoException("cannot record the unsafe paths of " + commit.commit(), e);
        } finally {
            autoCommit();
        }
    }

    private boolean known(String path) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM unsafe_path WHERE path = ? LIMIT 1")) {
            ps.setString(1, path);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void insert(UnsafeCommit c) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO unsafe_commit(source, ref, remote, commit_id) VALUES (?,?,?,?)")) {
            ps.setString(1, source(c));
            ps.setString(2, c.ref());
            ps.setString(3, c.remote().orElse(""));
            ps.setString(4, c.commit());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT OR IGNORE INTO unsafe_path(source, path, reason) VALUES (?,?,?)")) {
            for (UnsafePath p : c.paths().subList(0, Math.min(MAX_PATHS, c.paths().size()))) {
                ps.setString(1, source(c));
                ps.setString(2, p.path());
                ps.setString(3, p.reason());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void delete(String source) throws SQLException {
        for (String table : List.of("unsafe_commit", "unsafe_path")) {
            try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + table + " WHERE source = ?")) {
                ps.setString(1, source);
                ps.executeUpdate();
            }
        }
    }

    /** Forgets the record of {@code source} (a remote or a ref): a commit of it was merged whose tree is clean. */
    public synchronized void clear(String source) throws RepoException {
        Objects.requireNonNull(source, "source");
        try {
            connection.setAutoCommit(false);
            delete(source);
            connection.commit();
        } catch (SQLException e) {
            rollback();
            throw new RepoException("cannot clear the unsafe paths of " + source, e);
        } finally {
            autoCommit();
        }
    }

    /** Every record, by source, its paths sorted. */
    public synchronized List<UnsafeCommit> all() throws RepoException {
        Map<String, UnsafeCommit> commits = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT source, ref, remote, commit_id FROM unsafe_commit ORDER BY source");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String remote = rs.getString(3);
                commits.put(rs.getString(1), new UnsafeCommit(rs.getString(2),
                        remote.isEmpty() ? Optional.empty() : Optional.of(remote), rs.getString(4), List.of()));
            }
        } catch (SQLException e) {
            throw new RepoException("cannot read the unsafe commits", e);
        }
        List<UnsafeCommit> all = new ArrayList<>();
        for (Map.Entry<String, UnsafeCommit> c : commits.entrySet()) {
            all.add(c.getValue().withPaths(paths(c.getKey())));
        }
        return all;
    }

    private List<UnsafePath> paths(String source) throws RepoException {
        List<UnsafePath> paths = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT path, reason FROM unsafe_path WHERE source = ? ORDER BY path")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    paths.add(new UnsafePath(rs.getString(1), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new RepoException("cannot read the unsafe paths of " + source, e);
        }
        return paths;
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("unsafe commits: rollback failed: {}", e.toString());
        }
    }

    private void autoCommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.warn("unsafe commits: cannot return to autocommit: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() throws RepoException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new RepoException("cannot close the unsafe commits database", e);
        }
    }
}
