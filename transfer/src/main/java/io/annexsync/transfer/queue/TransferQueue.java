package io.annexsync.transfer.queue;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.StateDb;
import io.annexsync.gitsync.sync.RetryPolicy;
import io.annexsync.transfer.queue.QueueItem.State;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The transfers still to do, kept in table {@code transfer_queue} of {@code .git/annex-sync/state.db} so they survive
 * a crash. Workers {@link #claim} the next due item, move the content, and report {@link #done} or {@link #failed};
 * a failed item waits out the {@link RetryPolicy} back-off and, after {@link QueuePolicy#maxAttempts()} failures,
 * becomes {@link State#FAILED} until {@link #retryFailed()}.
 *
 * <p>Claim order: lowest priority number first, then the cheapest remote ({@code annex-cost}), then the oldest.
 * Each change is one IMMEDIATE SQLite transaction, so an item is never claimed twice, by two threads, two instances
 * or two processes on the same repository. Times are stored as epoch nanoseconds of the injected {@link Clock}.
 *
 * <p>Thread-safe: methods synchronise on the instance's one connection; several instances and processes may share
 * the database. Whoever opens a queue closes it; a closed queue throws {@link IllegalStateException}.
 */
public final class TransferQueue implements AutoCloseable {
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS transfer_queue(
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              key TEXT NOT NULL, remote TEXT NOT NULL, remote_uuid TEXT NOT NULL, way TEXT NOT NULL,
              file TEXT, cost REAL NOT NULL, priority INTEGER NOT NULL,
              state TEXT NOT NULL, attempts INTEGER NOT NULL, enqueued_ns INTEGER NOT NULL,
              next_try_ns INTEGER NOT NULL, worker TEXT, started_ns INTEGER, last_error TEXT,
              owner TEXT NOT NULL DEFAULT 'assistant',
              UNIQUE(owner, key, remote, way))""";
    /**
     * What a claim looks at: its owner's due items of one way in claim order, and how many run per remote (without
     * the second, counting the running items scans the whole table for every candidate: quadratic in the queue).
     */
    private static final String[] INDEXES = {
        "DROP INDEX IF EXISTS transfer_queue_order",
        "CREATE INDEX IF NOT EXISTS transfer_queue_claim"
            + " ON transfer_queue(owner, way, state, priority, cost, enqueued_ns)",
        "CREATE INDEX IF NOT EXISTS transfer_queue_running ON transfer_queue(state, remote)"};
    /** The table before queues had owners: rebuilt once into the new one, its rows owned by the assistant. */
    private static final String[] MIGRATE_OWNERLESS = {
        "ALTER TABLE transfer_queue RENAME TO transfer_queue_ownerless",
        SCHEMA,
        "INSERT INTO transfer_queue(id, key, remote, remote_uuid, way, file, cost, priority, state, attempts,"
            + " enqueued_ns, next_try_ns, worker, started_ns, last_error) SELECT id, key, remote, remote_uuid, way,"
            + " file, cost, priority, state, attempts, enqueued_ns, next_try_ns, worker, started_ns, last_error"
            + " FROM transfer_queue_ownerless",
        "DROP TABLE transfer_queue_ownerless"};
    private static final String COLUMNS = "id, key, remote, remote_uuid, way, file, cost, priority,"
            + " state, attempts, enqueued_ns, next_try_ns, worker, started_ns, last_error, owner";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM transfer_queue";
    private static final String CLAIM_ORDER = " ORDER BY priority, cost, enqueued_ns, id";
    private static final String INSERT = "INSERT INTO transfer_queue(key, remote, remote_uuid, way, file, cost,"
            + " priority, state, attempts, enqueued_ns, next_try_ns, owner) VALUES (?,?,?,?,?,?,?,'QUEUED',0,?,?,?)"
            + " ON CONFLICT(owner, key, remote, way) DO NOTHING";
    /** A request of priority 0 (someone asks now) gives a FAILED item another chance; others leave it FAILED. */
    private static final String MERGE = "UPDATE transfer_queue SET"
            + " state = CASE WHEN ?1 = 0 AND state = 'FAILED' THEN 'QUEUED' ELSE state END,"
            + " attempts = CASE WHEN ?1 = 0 AND state = 'FAILED' THEN 0 ELSE attempts END,"
            + " next_try_ns = CASE WHEN ?1 = 0 AND state = 'FAILED' THEN ?2 ELSE next_try_ns END,"
            + " priority = min(priority, ?1), cost = min(cost, ?3), file = coalesce(file, ?4)"
            + " WHERE key = ?5 AND remote = ?6 AND way = ?7 AND owner = ?8";
    private static final String CLAIM = """
            UPDATE transfer_queue SET state = 'RUNNING', worker = ?, started_ns = ?
            WHERE id = (SELECT q.id FROM transfer_queue q
                        WHERE q.owner = ? AND q.state = 'QUEUED' AND q.next_try_ns <= ?%s
                          AND (SELECT count(*) FROM transfer_queue r
                               WHERE r.state = 'RUNNING' AND r.remote = q.remote) < ?
                        ORDER BY q.priority, q.cost, q.enqueued_ns, q.id LIMIT 1)
            RETURNING id, key, remote, remote_uuid, way, file, cost, priority, attempts""";
    private static final String FAIL = "UPDATE transfer_queue SET state = ?, attempts = ?, next_try_ns = ?,"
            + " last_error = ?, worker = NULL, started_ns = NULL"
            + " WHERE id = ? AND state = 'RUNNING' AND worker = ? RETURNING " + COLUMNS;

    /** The owner of the queue the assistant daemon works on (one daemon per repository). */
    public static final String ASSISTANT = "assistant";
    private static final String PROCESS_PREFIX = "process:";

    private final Connection connection;
    private final Clock clock;
    private final QueuePolicy policy;
    private final RandomGenerator random;
    private final String owner;
    private boolean closed;

    private TransferQueue(Connection connection, Clock clock, QueuePolicy policy, RandomGenerator random,
            String owner) {
        this.connection = connection;
        this.clock = clock;
        this.policy = policy;
        this.random = random;
        this.owner = owner;
    }

    /**
     * The owner name of a queue that lives as long as this process (a CLI command): its items are left to nobody
     * else, and {@link #removeDeadOwners()} deletes them once the process is gone. It is {@code process:PID:START}, the
     * process's start time in epoch milliseconds beside its pid (read from {@code /proc/PID/stat} by the JDK), so a
     * later process that was given the same pid is not taken for it.
     */
    public static String processOwner() {
        ProcessHandle self = ProcessHandle.current();
        return PROCESS_PREFIX + self.pid() + self.info().startInstant().map(t -> ":" + t.toEpochMilli()).orElse("");
    }

    /**
     * Opens (creating) the transfer queue of the repository whose git directory is {@code gitDir}, giving up an item
     * after {@link QueuePolicy#DEFAULT_MAX_ATTEMPTS} failures.
     */
    public static TransferQueue open(Path gitDir, Clock clock, RetryPolicy retry) throws RepoException {
        return open(gitDir, clock, QueuePolicy.of(retry), new SplittableRandom());
    }

    /**
     * As {@link #open(Path, Clock, RetryPolicy)}, with the whole policy and the source of jitter (seeded in tests),
     * on the assistant's queue.
     */
    public static TransferQueue open(Path gitDir, Clock clock, QueuePolicy policy, RandomGenerator random)
            throws RepoException {
        return open(gitDir, clock, policy, random, ASSISTANT);
    }

    /**
     * Opens the queue of {@code owner} in the repository whose git directory is {@code gitDir}. Every process
     * shares the table; each owner enqueues, claims and requeues only its own items ({@link #ASSISTANT} for the
     * daemon, {@link #processOwner()} for a command), while the listings show every owner's, so
     * {@code annex-sync transfers} sees them all.
     */
    public static TransferQueue open(Path gitDir, Clock clock, QueuePolicy policy, RandomGenerator random,
            String owner) throws RepoException {
        Objects.requireNonNull(owner, "owner");
        if (owner.isBlank()) {
            throw new IllegalArgumentException("owner must not be blank");
        }
        Objects.requireNonNull(gitDir, "gitDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(random, "random");
        try {
            Connection c = StateDb.open(gitDir, SCHEMA);
            try (Statement s = c.createStatement()) {
                migrate(c);
                for (String sql : INDEXES) {
                    s.execute(sql);
                }
            } catch (SQLException e) {
                closeAfter(c, e);
                throw e;
            }
            return new TransferQueue(c, clock, policy, random, owner);
        } catch (IOException | SQLException e) {
            throw new RepoException("cannot open the transfer queue in " + StateDb.file(gitDir), e);
        }
    }

    /** Rebuilds a table made before queues had owners, in one transaction; its rows become the assistant's. */
    private static void migrate(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pragma_table_info('transfer_queue')"
                        + " WHERE name = 'owner'")) {
            if (rs.next() && rs.getInt(1) == 1) {
                return;
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                for (String sql : MIGRATE_OWNERLESS) {
                    s.execute(sql);
                }
                s.execute("COMMIT");
            } catch (SQLException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        }
    }

    private static void closeAfter(Connection c, SQLException failure) {
        try {
            c.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Adds a request, or merges it into the equal one already queued, running or failed (same key, remote and way):
     * the merged item keeps the lower priority number, the lower cost and the earlier enqueue time, and its state.
     * A FAILED item stays FAILED, so a planner that enqueues on every scan does not retry it in a tight loop, unless
     * the request has priority 0 (someone asks for it now): then it is QUEUED again, due now, its attempts reset.
     *
     * @return whether the request was new
     */
    public synchronized boolean enqueue(TransferRequest request) throws RepoException {
        Objects.requireNonNull(request, "request");
        return inTransaction("cannot enqueue " + describe(request), () -> insertOrMerge(request));
    }

    /**
     * As {@link #enqueue} for many requests in one transaction (10,000 files queued at once cost one commit).
     *
     * @return how many requests were new
     */
    public synchronized int enqueueAll(List<TransferRequest> requests) throws RepoException {
        Objects.requireNonNull(requests, "requests");
        if (requests.isEmpty()) {
            return 0;
        }
        return inTransaction("cannot enqueue " + requests.size() + " transfers", () -> {
            int n = 0;
            for (TransferRequest r : requests) {
                n += insertOrMerge(r) ? 1 : 0;
            }
            return n;
        });
    }

    /**
     * For each of {@code requests}, the last error of its item when that item is {@link State#FAILED} (given up, and
     * left so by a request of background priority: see {@link #enqueue}); empty for one queued, running or absent.
     * In the order of {@code requests}: a caller waiting for such an item's end learns at once that it will not run.
     */
    public synchronized List<Optional<String>> givenUp(List<TransferRequest> requests) throws RepoException {
        Objects.requireNonNull(requests, "requests");
        ensureOpen();
        List<Optional<String>> out = new ArrayList<>(requests.size());
        try (PreparedStatement ps = connection.prepareStatement("SELECT coalesce(last_error, 'gave up')"
                + " FROM transfer_queue WHERE key = ? AND remote = ? AND way = ? AND owner = ? AND state = 'FAILED'")) {
            for (TransferRequest r : requests) {
                bindKeyRemoteWay(ps, 1, r);
                try (ResultSet rs = ps.executeQuery()) {
                    out.add(rs.next() ? Optional.of(rs.getString(1)) : Optional.empty());
                }
            }
            return out;
        } catch (SQLException e) {
            throw new RepoException("cannot read the failed transfers", e);
        }
    }

    private boolean insertOrMerge(TransferRequest request) throws SQLException {
        long now = QueueRows.nanos(clock.instant());
        try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
            int i = bindIdentity(ps, 1, request);
            ps.setString(i++, request.file().orElse(null));
            ps.setDouble(i++, request.cost());
            ps.setInt(i++, request.priority());
            ps.setLong(i++, now);
            ps.setLong(i++, now);
            ps.setString(i, owner);
            if (ps.executeUpdate() == 1) {
                return true;
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(MERGE)) {
            ps.setInt(1, request.priority());
            ps.setLong(2, now);
            ps.setDouble(3, request.cost());
            ps.setString(4, request.file().orElse(null));
            bindKeyRemoteWay(ps, 5, request);
            ps.executeUpdate();
        }
        return false;
    }

    private static int bindIdentity(PreparedStatement ps, int first, TransferRequest request) throws SQLException {
        ps.setString(first, request.key().serialize());
        ps.setString(first + 1, request.remote());
        ps.setString(first + 2, request.remoteUuid().value());
        ps.setString(first + 3, request.way().name());
        return first + 4;
    }

    private void bindKeyRemoteWay(PreparedStatement ps, int first, TransferRequest request)
            throws SQLException {
        ps.setString(first, request.key().serialize());
        ps.setString(first + 1, request.remote());
        ps.setString(first + 2, request.way().name());
        ps.setString(first + 3, owner);
    }

    /** As {@link #claim(String, int, Set)} with no remote left out. */
    public Optional<Claimed> claim(String worker, int perRemoteLimit) throws RepoException {
        return claim(worker, perRemoteLimit, Set.of());
    }

    /** As {@link #claim(String, Optional, int, Set)} for either way. */
    public Optional<Claimed> claim(String worker, int perRemoteLimit, Set<String> skipRemotes)
            throws RepoException {
        return claim(worker, Optional.empty(), perRemoteLimit, skipRemotes);
    }

    /**
     * Claims the next due item for {@code worker}: the first in claim order whose next try is now or past, whose
     * remote has fewer than {@code perRemoteLimit} items running (counted over every worker and process), and whose
     * remote is not in {@code skipRemotes}. The item becomes RUNNING under the worker until {@link #done} or
     * {@link #failed}.
     *
     * @param worker an id unique among live workers, e.g. {@code annex-sync-transfer-worker-2@host:pid}
     * @param way only items of this way (upload workers and download workers are separate), or either
     * @param perRemoteLimit how many transfers may run at once per remote; at least 1
     * @param skipRemotes remote names the caller does not want now (unreachable, paused)
     * @return the claimed item, or empty when nothing is due
     */
    public synchronized Optional<Claimed> claim(String worker, Optional<TransferRequest.Way> way, int perRemoteLimit,
            Set<String> skipRemotes) throws RepoException {
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(way, "way");
        Objects.requireNonNull(skipRemotes, "skipRemotes");
        if (worker.isBlank()) {
            throw new IllegalArgumentException("worker must not be blank");
        }
        if (perRemoteLimit < 1) {
            throw new IllegalArgumentException("perRemoteLimit must be at least 1: " + perRemoteLimit);
        }
        List<String> skipped = List.copyOf(skipRemotes);
        String skip = (way.isEmpty() ? "" : " AND q.way = ?") + (skipped.isEmpty() ? "" : " AND q.remote NOT IN ("
                + String.join(",", Collections.nCopies(skipped.size(), "?")) + ")");
        return inTransaction("cannot claim a transfer for " + worker, () -> {
            long now = QueueRows.nanos(clock.instant());
            try (PreparedStatement ps = connection.prepareStatement(CLAIM.formatted(skip))) {
                int i = 1;
                ps.setString(i++, worker);
                ps.setLong(i++, now);
                ps.setString(i++, owner);
                ps.setLong(i++, now);
                if (way.isPresent()) {
                    ps.setString(i++, way.get().name());
                }
                for (String remote : skipped) {
                    ps.setString(i++, remote);
                }
                ps.setInt(i, perRemoteLimit);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Claimed>empty();
                    }
                    return Optional.of(new Claimed(rs.getLong(1), QueueRows.request(rs, 2), rs.getInt(9), worker));
                }
            }
        });
    }

    /**
     * Removes a finished item. An item whose claim was lost (requeued by {@link #requeueRunning()}) is removed too,
     * since its content has moved; one that another worker has claimed since is left to that worker.
     *
     * @return whether the item was removed
     */
    public synchronized boolean done(Claimed claimed) throws RepoException {
        Objects.requireNonNull(claimed, "claimed");
        return inTransaction("cannot mark transfer " + claimed.id() + " done", () -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "DELETE FROM transfer_queue WHERE id = ? AND (state <> 'RUNNING' OR worker = ?)")) {
                ps.setLong(1, claimed.id());
                ps.setString(2, claimed.worker());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Records that a claimed transfer failed with {@code error}: the item goes back to QUEUED with one more attempt
     * and its next try after the back-off for that many failures, or to FAILED once it has failed
     * {@link QueuePolicy#maxAttempts()} times.
     *
     * @return the item as it is now, or empty when the worker no longer held the claim (nothing changed)
     */
    public synchronized Optional<QueueItem> failed(Claimed claimed, String error) throws RepoException {
        Objects.requireNonNull(claimed, "claimed");
        Objects.requireNonNull(error, "error");
        int attempts = claimed.attempts() + 1;
        State state = attempts >= policy.maxAttempts() ? State.FAILED : State.QUEUED;
        return inTransaction("cannot record the failure of transfer " + claimed.id(), () -> {
            Instant nextTry = clock.instant().plus(policy.retry().delayAfter(attempts, random));
            try (PreparedStatement ps = connection.prepareStatement(FAIL)) {
                ps.setString(1, state.name());
                ps.setInt(2, attempts);
                ps.setLong(3, QueueRows.nanos(nextTry));
                ps.setString(4, error);
                ps.setLong(5, claimed.id());
                ps.setString(6, claimed.worker());
                List<QueueItem> items = QueueRows.readAll(ps);
                return items.stream().findFirst();
            }
        });
    }

    /** The items waiting for a worker, due or not, in claim order. */
    public synchronized List<QueueItem> queued() throws RepoException {
        return list(State.QUEUED, CLAIM_ORDER);
    }

    /** The items claimed by a worker, oldest claim first. */
    public synchronized List<QueueItem> running() throws RepoException {
        return list(State.RUNNING, " ORDER BY started_ns, id");
    }

    /** The items given up after too many failures, in claim order. */
    public synchronized List<QueueItem> failed() throws RepoException {
        return list(State.FAILED, CLAIM_ORDER);
    }

    private List<QueueItem> list(State state, String order) throws RepoException {
        ensureOpen();
        try (PreparedStatement ps = connection.prepareStatement(SELECT + " WHERE state = ?" + order)) {
            ps.setString(1, state.name());
            return QueueRows.readAll(ps);
        } catch (SQLException e) {
            throw new RepoException("cannot read the " + state + " transfers", e);
        }
    }

    /**
     * Puts every RUNNING item back to QUEUED, due now, its attempts unchanged: for start-up, when the workers that
     * held them died with their process. Call it only while no other live process works on this queue (the daemon's
     * lock guarantees that), or their claims are lost.
     *
     * @return how many items were requeued
     */
    public synchronized int requeueRunning() throws RepoException {
        return update("cannot requeue the running transfers", "UPDATE transfer_queue SET state = 'QUEUED',"
                + " worker = NULL, started_ns = NULL, next_try_ns = ? WHERE state = 'RUNNING' AND owner = ?");
    }

    /**
     * Puts this owner's items claimed before {@code claimedBefore} back to QUEUED, as {@link #requeueRunning()} does:
     * for a process that found, at {@code claimedBefore}, that no process works on this owner's queue (no daemon holds
     * the daemon lock), so those claims are of workers that died. A process that began working on the queue since
     * claims after that moment, and its claims are left alone.
     *
     * @return how many items were requeued
     */
    public synchronized int requeueClaimedBefore(Instant claimedBefore) throws RepoException {
        Objects.requireNonNull(claimedBefore, "claimedBefore");
        return inTransaction("cannot requeue the transfers of " + owner, () -> {
            try (PreparedStatement ps = connection.prepareStatement("UPDATE transfer_queue SET state = 'QUEUED',"
                    + " worker = NULL, started_ns = NULL, next_try_ns = ?"
                    + " WHERE state = 'RUNNING' AND owner = ? AND started_ns < ?")) {
                ps.setLong(1, QueueRows.nanos(clock.instant()));
                ps.setString(2, owner);
                ps.setLong(3, QueueRows.nanos(claimedBefore));
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Gives every FAILED item another chance: QUEUED, due now, attempts back to zero (the last error is kept).
     *
     * @return how many items were requeued
     */
    public synchronized int retryFailed() throws RepoException {
        return update("cannot retry the failed transfers", "UPDATE transfer_queue SET state = 'QUEUED',"
                + " attempts = 0, next_try_ns = ? WHERE state = 'FAILED' AND owner = ?");
    }

    /**
     * Makes this owner's waiting items of {@code way} (with {@code remote}, or with any remote) due now, FAILED ones
     * included (their attempts back to zero): for when what made them fail is over, such as a full disk that has
     * space again.
     *
     * @return how many items are due now that were not
     */
    public synchronized int retryNow(TransferRequest.Way way, Optional<String> remote) throws RepoException {
        Objects.requireNonNull(way, "way");
        Objects.requireNonNull(remote, "remote");
        return inTransaction("cannot make the transfers due again", () -> {
            long now = QueueRows.nanos(clock.instant());
            try (PreparedStatement ps = connection.prepareStatement("UPDATE transfer_queue SET state = 'QUEUED',"
                    + " attempts = CASE WHEN state = 'FAILED' THEN 0 ELSE attempts END, next_try_ns = ?"
                    + " WHERE owner = ? AND way = ? AND (state = 'FAILED' OR (state = 'QUEUED' AND next_try_ns > ?))"
                    + (remote.isPresent() ? " AND remote = ?" : ""))) {
                ps.setLong(1, now);
                ps.setString(2, owner);
                ps.setString(3, way.name());
                ps.setLong(4, now);
                if (remote.isPresent()) {
                    ps.setString(5, remote.get());
                }
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Deletes every item of this queue's owner, whatever its state: for a command that ends with items it will not
     * do (they failed, or it was interrupted), since nobody else claims them.
     *
     * @return how many items were deleted
     */
    public synchronized int removeOwn() throws RepoException {
        return inTransaction("cannot remove the transfers of " + owner, () -> {
            try (PreparedStatement ps = connection.prepareStatement("DELETE FROM transfer_queue WHERE owner = ?")) {
                ps.setString(1, owner);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Deletes the items of {@link #processOwner() process owners} whose process no longer runs (a command killed
     * before it could {@link #removeOwn()}); their partial downloads stay in {@code .git/annex/tmp} for the next try.
     *
     * @return how many items were deleted
     */
    public synchronized int removeDeadOwners() throws RepoException {
        return inTransaction("cannot remove the transfers of ended processes", () -> {
            List<String> dead = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT DISTINCT owner FROM transfer_queue WHERE owner LIKE ?")) {
                ps.setString(1, PROCESS_PREFIX + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!processAlive(rs.getString(1).substring(PROCESS_PREFIX.length()))) {
                            dead.add(rs.getString(1));
                        }
                    }
                }
            }
            int n = 0;
            try (PreparedStatement ps = connection.prepareStatement("DELETE FROM transfer_queue WHERE owner = ?")) {
                for (String o : dead) {
                    ps.setString(1, o);
                    n += ps.executeUpdate();
                }
            }
            return n;
        });
    }

    /**
     * Whether the process an owner names ({@code PID} or {@code PID:START}) still runs: a live process with that pid
     * and, when the owner records one, the same start time (another process may have been given the pid since).
     */
    static boolean processAlive(String owner) {
        int colon = owner.indexOf(':');
        try {
            long pid = Long.parseLong(colon < 0 ? owner : owner.substring(0, colon));
            OptionalLong start = colon < 0 ? OptionalLong.empty()
                    : OptionalLong.of(Long.parseLong(owner.substring(colon + 1)));
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> start.isEmpty() || p.info().startInstant()
                            .map(t -> t.toEpochMilli() == start.getAsLong()).orElse(true))
                    .isPresent();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The owner this queue enqueues and claims for. */
    public String owner() {
        return owner;
    }

    private int update(String what, String sql) throws RepoException {
        return inTransaction(what, () -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                ps.setLong(1, QueueRows.nanos(clock.instant()));
                ps.setString(2, owner);
                return ps.executeUpdate();
            }
        });
    }

    /** Work inside one transaction on the connection. */
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction begun IMMEDIATE, so it takes the write lock before reading: a deferred one
     * could not upgrade when another writer got in first (SQLITE_BUSY despite the busy timeout). Rolled back when
     * {@code work} throws.
     */
    private <T> T inTransaction(String what, SqlWork<T> work) throws RepoException {
        ensureOpen();
        try {
            execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            throw new RepoException(what, e);
        }
        try {
            T result = work.run();
            execute("COMMIT");
            return result;
        } catch (SQLException e) {
            rollback(e);
            throw new RepoException(what, e);
        } catch (RuntimeException e) {
            rollback(e);
            throw e;
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private void rollback(Exception failure) {
        try {
            execute("ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the transfer queue is closed");
        }
    }

    private static String describe(TransferRequest r) {
        return r.way().name().toLowerCase(Locale.ROOT) + " of " + r.key().serialize() + " "
                + (r.upload() ? "to " : "from ") + r.remote();
    }

    /** Closes the connection; the queue's rows stay in the database. Idempotent. */
    @Override
    public synchronized void close() throws RepoException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.close();
        } catch (SQLException e) {
            throw new RepoException("cannot close the transfer queue database", e);
        }
    }
}
