package io.annexsync.gitsync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * Opens annex-sync's own database, {@code .git/annex-sync/state.db}, the one place for state that must survive a
 * crash (the stat cache, owed pushes, later the transfer queue). Every connection gets the same settings: WAL, so
 * readers never wait for the writer; IMMEDIATE transactions, because deferred ones gave SQLITE_BUSY under two writers
 * despite the busy timeout; synchronous NORMAL, which in WAL mode loses at most the last transactions on power loss,
 * never the database. Stateless, thread-safe; the caller owns and closes the connection.
 */
public final class StateDb {
    private static final int BUSY_TIMEOUT_MS = 10_000;

    private StateDb() {}

    /** A new connection to the state database of the repository whose git directory is {@code gitDir}. */
    public static Connection open(Path gitDir, String schema) throws IOException, SQLException {
        Path db = file(gitDir);
        Files.createDirectories(db.getParent());
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        Connection c = config.createConnection("jdbc:sqlite:" + db);
        try (Statement s = c.createStatement()) {
            s.execute(schema);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Where the database is. */
    public static Path file(Path gitDir) {
        return gitDir.resolve("annex-sync").resolve("state.db");
    }
}
