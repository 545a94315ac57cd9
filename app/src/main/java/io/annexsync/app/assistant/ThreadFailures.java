package io.annexsync.app.assistant;

import io.annexsync.gitsync.supervise.Failures;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's uncaught-exception handler: what the end of a thread by an exception nobody caught means.
 *
 * <ul>
 *   <li>The daemon owns the threads named {@code annex-sync-*}. Each long-running one handles its own failures: the
 *       repository thread, the timer and the push lanes end the task in hand (a push failing that way is owed and
 *       tried again), the transfer workers fail the transfer in hand (it is retried after the queue's back-off) and
 *       restart their loop under a {@link io.annexsync.gitsync.supervise.Supervisor}, as does the folder watcher
 *       (after which it asks for a rescan). What still reaches this handler from such a thread ended one short task;
 *       it is logged and the daemon goes on.</li>
 *   <li>A thread a library started (JGit's {@code JGit-Receive-Pack} of a push into a path remote, SQLite's, and
 *       later Netty's) never decides the fate of the process: its failure is that operation's, which its caller sees
 *       (the push's pipe closes, so the push fails and is owed). Logged once per thread and cause; the daemon goes
 *       on.</li>
 *   <li>A {@linkplain Failures#fatal fatal} failure of the virtual machine, an {@link OutOfMemoryError} above all, in
 *       any thread: the daemon stops (an error may have struck any thread in the middle of any update in memory; what
 *       is on disk is safe and the next start resumes from it). The other unsafe conditions, the repository gone or
 *       the daemon lock lost, are found by the daemon's own checks and stop it the same way.</li>
 * </ul>
 *
 * Thread-safe.
 */
public final class ThreadFailures implements Thread.UncaughtExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadFailures.class);
    /** The prefix of the name of every thread the daemon owns. */
    public static final String OWN = "annex-sync-";
    /** Causes remembered as logged. */
    private static final int CAUSES = 64;

    private final Runnable stop;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Set<String> logged = new LinkedHashSet<>();

    /** A handler that runs {@code stop} (once, from a thread of its own) when a failure makes going on unsafe. */
    public ThreadFailures(Runnable stop) {
        this.stop = Objects.requireNonNull(stop, "stop");
    }

    /** Whether the daemon must stop after {@code e}. */
    public static boolean stopsTheDaemon(Throwable e) {
        return Failures.fatal(e);
    }

    @Override
    public void uncaughtException(Thread thread, Throwable e) {
        if (stopsTheDaemon(e)) {
            if (stopping.compareAndSet(false, true)) {
                LOG.error("{} in thread {}: the assistant stops, since nothing in memory can be trusted after it; "
                        + "what is on disk is safe, start it again", Failures.describe(e), thread.getName(), e);
                // not on the failing thread: exit runs the shutdown hook, which may wait for that very thread
                Thread.ofPlatform().name(OWN + "exit").start(stop);
            }
            return;
        }
        boolean own = thread.getName().startsWith(OWN);
        if (!firstTime(thread.getName().replaceAll("[0-9]+", "N") + ": " + Failures.describe(e))) {
            LOG.debug("thread {} failed again: {}", thread.getName(), Failures.describe(e));
        } else if (own) {
            LOG.warn("thread {} of the assistant ended by an unexpected error ({}); the work it held failed and is "
                    + "tried again, the assistant goes on", thread.getName(), Failures.describe(e), e);
        } else {
            LOG.warn("thread {} of a library failed ({}); the operation it served failed and is tried again, the "
                    + "assistant goes on", thread.getName(), Failures.describe(e), e);
        }
    }

    private synchronized boolean firstTime(String cause) {
        if (!logged.add(cause)) {
            return false;
        }
        if (logged.size() > CAUSES) {
            logged.remove(logged.iterator().next());
        }
        return true;
    }
}
