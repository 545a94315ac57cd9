package io.annexsync.app.assistant;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code assistant.onchange}: a command run by {@code sh -c} in the work tree after each commit or merge, with the
 * changed paths on its standard input, one a line, and {@code ANNEX_SYNC_EVENT} set to {@code commit} or {@code
 * merge}. Runs are one at a time on the hook's own thread, in order, so a slow command never holds up syncing; a run
 * that fails or takes longer than {@link #TIMEOUT} is logged (and killed), never fatal. Its output goes to the log.
 * Thread-safe; close it to stop after the run in hand.
 */
final class OnChangeHook implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OnChangeHook.class);
    static final Duration TIMEOUT = Duration.ofMinutes(10);
    /** Runs waiting beyond this are dropped (with a warning): a hook must not grow the daemon without bound. */
    private static final int MAX_WAITING = 1000;

    private final String command;
    private final Path workTree;
    private final ExecutorService thread;

    OnChangeHook(String command, Path workTree) {
        this.command = command;
        this.workTree = workTree;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(MAX_WAITING), r -> {
            Thread t = new Thread(r, "annex-sync-onchange");
            t.setDaemon(true);
            return t;
        }, (r, pool) -> LOG.warn("assistant.onchange is too slow: {} runs wait; this one is dropped", MAX_WAITING));
    }

    /** Runs the command for {@code paths} changed by {@code event} ({@code commit} or {@code merge}). */
    void changed(String event, List<String> paths) {
        if (!paths.isEmpty()) {
            thread.execute(() -> run(event, List.copyOf(paths)));
        }
    }

    private void run(String event, List<String> paths) {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).directory(workTree.toFile())
                .redirectErrorStream(true);
        pb.environment().put("ANNEX_SYNC_EVENT", event);
        try {
            Process p = pb.start();
            // output read and input written on threads of their own, so that a command that fills its output
            // before reading its input (or never reads it) cannot block this thread past the timeout
            Thread reader = Thread.ofVirtual().name("annex-sync-onchange-output").start(() -> logOutput(p));
            Thread.ofVirtual().name("annex-sync-onchange-input").start(() -> writeInput(p, paths));
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                LOG.warn("assistant.onchange ({}) took longer than {} min and was stopped", command,
                        TIMEOUT.toMinutes());
                return;
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
            if (p.exitValue() != 0) {
                LOG.warn("assistant.onchange ({}) failed with exit code {} after a {}", command, p.exitValue(), event);
            } else {
                LOG.debug("assistant.onchange ran for {} paths", paths.size());
            }
        } catch (IOException e) {
            LOG.warn("cannot run assistant.onchange ({}): {}", command, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writeInput(Process p, List<String> paths) {
        try (OutputStream in = p.getOutputStream()) {
            in.write((String.join("\n", paths) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.debug("assistant.onchange did not read all of its input: {}", e.getMessage());
        }
    }

    private void logOutput(Process p) {
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!out.isEmpty()) {
                LOG.info("assistant.onchange said: {}", out.length() > 2000 ? out.substring(0, 2000) + "..." : out);
            }
        } catch (IOException e) {
            LOG.debug("cannot read the output of assistant.onchange: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
