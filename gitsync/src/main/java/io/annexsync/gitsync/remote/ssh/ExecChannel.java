package io.annexsync.gitsync.remote.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One command running on the far side of an ssh session, as a pair of streams: write its stdin with {@link #stdin()},
 * read its stdout with {@link #stdout()} (and stderr with {@link #stderr()}). For line protocols such as git-annex's
 * P2P protocol over {@code git-annex-shell p2pstdio}.
 *
 * <p>Not thread-safe as a whole, but one thread may write stdin while another reads stdout. Whoever opened it closes
 * it; closing ends the channel (the far command sees its stdin close and is hung up on).
 */
public final class ExecChannel implements AutoCloseable {
    private final String command;
    private final Process process;

    ExecChannel(String command, Process process) {
        this.command = command;
        this.process = process;
    }

    /** The command line run on the far side, for messages. */
    public String command() {
        return command;
    }

    /** The command's standard input. */
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    /** The command's standard output. */
    public InputStream stdout() {
        return process.getInputStream();
    }

    /** The command's standard error. */
    public InputStream stderr() {
        return process.getErrorStream();
    }

    /**
     * Waits up to {@code timeout} for the command to end; its exit status, or empty if it still runs (or the server
     * gave no status).
     */
    public OptionalInt waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return OptionalInt.empty();
        }
        int code = process.exitValue();
        return code < 0 ? OptionalInt.empty() : OptionalInt.of(code);
    }

    /** Closes stdin (the far command reads its end) and the channel. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // the channel is already gone; destroying it below is all that is left
        }
        process.destroy();
    }
}
