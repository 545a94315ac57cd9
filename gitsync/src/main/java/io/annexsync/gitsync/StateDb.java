package io.annexsync.gitsync;

import java.io.IOException;
import java.nio.file.FileSystemException;
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
        Connection c;
        try {
            c = config.createConnection("jdbc:sqlite:" + db);
        } catch (SQLException e) {
            throw diagnosed(db, e);
        }
        try (Statement s = c.createStatement()) {
            s.execute(schema);
        } catch (SQLException e) {
            c.close();
            throw diagnosed(db, e);
        }
        return c;
    }

    /** Below this many free bytes on its disk, an SQLite failure to open the database is taken for a full disk. */
    private static final long NEARLY_FULL = 1L << 20;

    /**
     * SQLite says only "disk I/O error" when its WAL index cannot grow on a full disk: then the failure is the path
     * and "no space left on device", with SQLite's words after it; otherwise SQLite's own exception.
     */
    private static IOException diagnosed(Path db, SQLException e) throws SQLException {
        long free;
        try {
            free = Files.getFileStore(db.getParent()).getUsableSpace();
        } catch (IOException unknown) {
            throw e;
        }
        if (free >= NEARLY_FULL) {
            throw e;
        }
        FileSystemException full = new FileSystemException(db.toString(), null, "no space left on device ("
                + free + " bytes free; SQLite: " + e.getMessage() + ")");
        full.initCause(e);
        return full;
    }

    /** Where the database is. */
    public static Path file(Path gitDir) {
        return gitDir.resolve("annex-sync").resolve("state.db");
    }
}
