package io.annexsync.transfer.queue;

import io.annexsync.gitsync.sync.RetryPolicy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The other process of {@link TransferQueueConcurrencyTest}: opens the queue of the git directory in {@code args[0]},
 * prints {@code READY}, waits for a line on stdin, then claims and finishes items as worker {@code args[1]} until none
 * is left, printing each claimed id, and ends with {@code END}. Each item takes a moment ({@link #transfer}), as a
 * real transfer does, so that the other process's claimers get their turn at the database lock: without it one
 * process can empty the queue before the other's threads are even scheduled, and the test proves nothing.
 */
public final class ClaimerMain {
    /** How long one item's pretend transfer takes. */
    static final Duration TRANSFER = Duration.ofMillis(1);

    private ClaimerMain() {}

    /** The work a worker does between claiming an item and finishing it. */
    static void transfer() {
        LockSupport.parkNanos(TRANSFER.toNanos());
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (TransferQueue queue = TransferQueue.open(Path.of(args[0]), Clock.systemUTC(), RetryPolicy.DEFAULT);
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            out.println("READY");
            out.flush();
            in.readLine();
            for (Optional<Claimed> c = queue.claim(args[1], Integer.MAX_VALUE); c.isPresent();
                    c = queue.claim(args[1], Integer.MAX_VALUE)) {
                out.println(c.get().id());
                out.flush();
                transfer();
                queue.done(c.get());
            }
            out.println("END");
            out.flush();
        }
    }
}
