package io.annexsync.gitsync.sync;

import io.annexsync.gitsync.remote.Reachability;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.remote.ssh.SshSettings;
import io.annexsync.gitsync.remote.ssh.SshTransports;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches from and pushes to a repository's git remotes, all remotes at once, each bounded by a timeout: JGit's own
 * transport timeout, and a hard deadline on our side, so one hung remote never holds up the others or the caller.
 * A call returns after about the slowest healthy remote or the timeout, whichever comes first; one bad remote gives
 * an outcome value, never an exception.
 *
 * <p>While a fetch or push writes refs (ours; a path remote's, which the push writes from this process), it holds
 * the {@link RefWriters} mark of that repository, so a survivor can tell the lock files it leaves if it dies.
 * JGit's own lock waits are bounded (a ref lock is tried once, {@code packed-refs.lock} for about 3 s); a fetch or
 * push that cannot lock fails with an outcome that says so.
 *
 * <p><b>Threads.</b> Each remote's fetch or push runs on a daemon thread named {@code annex-sync-remote-N} from a
 * pool this class owns. A local transport can block for ever in a read no interrupt ends (a FIFO, a dead network
 * mount); at the deadline such a task is abandoned and its thread stays blocked, but as a daemon thread it never
 * keeps the JVM alive. {@link #close()} interrupts whatever still runs and does not wait for it.
 *
 * <p><b>Thread-safety.</b> Thread-safe: calls may overlap. Each task builds its own {@link Git} command over the
 * shared {@link Repository}, which is thread-safe. The creator closes this; closing it does not
 * close the repository.
 */
public final class RemoteOps implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteOps.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Repository repo;
    private final Duration timeout;
    private final ExecutorService executor;
    private final SshTransports ssh;

    /** Why a task gave no outcome of its own: it timed out, it crashed, or the caller was interrupted. */
    private record Abandoned(boolean timedOut, String message, Duration elapsed) {}

    /**
     * Operations on the remotes of {@code repo}, each fetch or push bounded by {@code timeout} (positive; JGit's
     * transport timeout is rounded up to whole seconds).
     */
    public RemoteOps(Repository repo, Duration timeout) {
        this(repo, timeout, SshSettings.user());
    }

    /**
     * As {@link #RemoteOps(Repository, Duration)}, remotes with ssh URLs reached with the keys, config and
     * known_hosts {@code ssh} names (host keys checked strictly); the ssh client is this object's, closed with it.
     */
    public RemoteOps(Repository repo, Duration timeout, SshSettings ssh) {
        this.repo = Objects.requireNonNull(repo, "repo");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.executor = Executors.newCachedThreadPool(daemonThreads());
        this.ssh = new SshTransports(Objects.requireNonNull(ssh, "ssh"));
    }

    private static ThreadFactory daemonThreads() {
        return task -> {
            Thread t = new Thread(task, "annex-sync-remote-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Fetches every remote in parallel with its configured refspecs (normally
     * {@code +refs/heads/*:refs/remotes/NAME/*}, so {@code NAME/git-annex}, {@code NAME/synced/git-annex},
     * {@code NAME/<branch>} and {@code NAME/synced/<branch>} all arrive). One outcome per remote, in the order of
     * {@code remotes}.
     *
     * @throws IllegalStateException if this was closed
     */
    public List<FetchOutcome> fetchAll(List<RemoteConfig> remotes) {
        Objects.requireNonNull(remotes, "remotes");
        return runAll(remotes, this::fetch,
                (r, why) -> new FetchOutcome(r.name(), false, why.message(), why.elapsed()));
    }

    /**
     * Pushes {@code refSpecs} (for example {@code refs/heads/main:refs/heads/synced/main} and
     * {@code +refs/heads/git-annex:refs/heads/synced/git-annex}) to every remote in parallel. One outcome per remote,
     * in the order of {@code remotes}; a remote that times out is {@link PushStatus#UNREACHABLE}.
     *
     * @throws IllegalArgumentException if a refspec cannot be parsed
     * @throws IllegalStateException if this was closed
     */
    public List<PushOutcome> pushAll(List<RemoteConfig> remotes, List<String> refSpecs) {
        Objects.requireNonNull(remotes, "remotes");
        Objects.requireNonNull(refSpecs, "refSpecs");
        List<RefSpec> specs = refSpecs.stream().map(RefSpec::new).toList();
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("nothing to push: no refspecs given");
        }
        return runAll(remotes, r -> push(r, specs), (r, why) -> new PushOutcome(
                r.name(), why.timedOut() ? PushStatus.UNREACHABLE : PushStatus.FAILED, why.message(), why.elapsed()));
    }

    private <T> List<T> runAll(List<RemoteConfig> remotes, Function<RemoteConfig, T> task,
            BiFunction<RemoteConfig, Abandoned, T> abandon) {
        if (executor.isShutdown()) {
            throw new IllegalStateException("RemoteOps is closed");
        }
        long start = System.nanoTime();
        List<Future<T>> futures = remotes.stream().map(r -> executor.submit(() -> task.apply(r))).toList();
        List<T> outcomes = new ArrayList<>(remotes.size());
        for (int i = 0; i < remotes.size(); i++) {
            outcomes.add(await(futures.get(i), remotes.get(i), start, abandon));
        }
        return outcomes;
    }

    private <T> T await(Future<T> future, RemoteConfig remote, long start,
            BiFunction<RemoteConfig, Abandoned, T> abandon) {
        long remaining = start + timeout.toNanos() - System.nanoTime();
        try {
            return future.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            LOG.warn("remote {} did not answer within {}; abandoned its task", remote.name(), human(timeout));
            return abandon.apply(remote, new Abandoned(true, "remote " + remote.name() + " timed out after "
                    + human(timeout) + "; is its drive or network hung?", timeout));
        } catch (ExecutionException e) {
            return abandon.apply(remote, new Abandoned(false, "remote " + remote.name() + ": internal error "
                    + e.getCause(), since(start)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return abandon.apply(remote, new Abandoned(false, "remote " + remote.name()
                    + ": interrupted before it finished", since(start)));
        }
    }

    private FetchOutcome fetch(RemoteConfig remote) {
        long start = System.nanoTime();
        Optional<String> missing = missingPath(remote);
        if (missing.isPresent()) {
            return new FetchOutcome(remote.name(), false, missing.get(), since(start));
        }
        try (RefWriters.Mark mark = RefWriters.hold(repo.getDirectory().toPath()); Git git = Git.wrap(repo)) {
            FetchResult result = git.fetch().setRemote(remote.name()).setTimeout(transportSeconds())
                    .setTransportConfigCallback(ssh).call();
            int updated = result.getTrackingRefUpdates().size();
            String message = updated == 0 ? remote.name() + " is up to date" : "fetched " + updated + " refs from "
                    + remote.name();
            return new FetchOutcome(remote.name(), true, message, since(start));
        } catch (GitAPIException | RuntimeException e) {
            LOG.debug("fetch from {} failed", remote.name(), e);
            return new FetchOutcome(remote.name(), false, "cannot fetch from " + remote.name() + ": " + causes(e),
                    since(start));
        }
    }

    private PushOutcome push(RemoteConfig remote, List<RefSpec> specs) {
        long start = System.nanoTime();
        Optional<String> missing = missingPath(remote);
        if (missing.isPresent()) {
            return new PushOutcome(remote.name(), PushStatus.UNREACHABLE, missing.get(), since(start));
        }
        try (RefWriters.Mark local = RefWriters.hold(repo.getDirectory().toPath());
                RefWriters.Mark theirs = markRemote(remote); Git git = Git.wrap(repo)) {
            Iterable<PushResult> results =
                    git.push().setRemote(remote.name()).setRefSpecs(specs)
                            .setTimeout(transportSeconds()).setTransportConfigCallback(ssh).call();
            return PushReport.of(remote.name(), results, since(start));
        } catch (TransportException e) {
            if (answered(e)) { // reached, but it could not take the push (its disk is full): owed, not unreachable
                return new PushOutcome(remote.name(), PushStatus.FAILED, "push to " + remote.name() + " failed: "
                        + causes(e), since(start));
            }
            return new PushOutcome(remote.name(), PushStatus.UNREACHABLE, "cannot reach " + remote.name() + ": "
                    + causes(e), since(start));
        } catch (GitAPIException | RuntimeException e) {
            LOG.debug("push to {} failed", remote.name(), e);
            return new PushOutcome(remote.name(), PushStatus.FAILED, "push to " + remote.name() + " failed: "
                    + causes(e), since(start));
        }
    }

    /**
     * The writer's mark in a path remote's repository, whose refs the push writes from this process ({@link
     * RefWriters}); none for a remote over a network, where its own server writes.
     */
    private RefWriters.Mark markRemote(RemoteConfig remote) {
        File base = repo.isBare() ? repo.getDirectory() : repo.getWorkTree();
        return RefWriters.gitDirOf(remote, base.toPath()).map(RefWriters::hold).orElse(() -> { });
    }

    /** Why a path remote cannot be reached, if its folder is missing: a quick answer before JGit tries. */
    private Optional<String> missingPath(RemoteConfig remote) {
        File base = repo.isBare() ? repo.getDirectory() : repo.getWorkTree();
        return remote.reachability(base.toPath()) instanceof Reachability.Unreachable u
                ? Optional.of(u.reason()) : Optional.empty();
    }

    /**
     * Whether the remote end answered with an error of its own ({@code error occurred during unpacking on the remote
     * end: error No space left on device}): it was reached, so it is no unreachable remote to wait for.
     */
    private static boolean answered(TransportException e) {
        return causes(e).contains("on the remote end");
    }

    /**
     * The messages of {@code e} and its causes: JGit wraps the useful one ("Source ref ... doesn't resolve to any
     * object") in "Exception caught during execution of push command".
     */
    static String causes(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null && messages.size() < 5; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (messages.stream().noneMatch(seen -> seen.contains(m))) {
                messages.add(m);
            }
        }
        return String.join(": ", messages);
    }

    private int transportSeconds() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (timeout.toMillis() + 999) / 1000));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(Math.max(0, System.nanoTime() - startNanos));
    }

    /** {@code 2 s} or {@code 1500 ms}, for messages. */
    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Interrupts running tasks and stops the threads; does not wait for tasks blocked in uninterruptible reads. */
    @Override
    public void close() {
        executor.shutdownNow();
        ssh.close();
    }
}
