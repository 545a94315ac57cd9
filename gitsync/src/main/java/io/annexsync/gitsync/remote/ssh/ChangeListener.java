package io.annexsync.gitsync.remote.ssh;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Listens to {@code git-annex-shell notifychanges DIR} on the far side: it prints {@code READY} once it watches the
 * repository's refs, then a line {@code CHANGED <sha> <sha>...} whenever they change (new ref SHAs, not names; the
 * first after a start may list every ref; {@code packed-refs} updates are missed, NETWORK.md quirk 3). Each CHANGED
 * goes to {@link Events#changed}; when the channel ends for any reason but {@link #close()}, {@link Events#ended}
 * says why. Other lines are ignored; a line over 1 MiB ends the listener.
 *
 * <p>The reading runs on a daemon thread named {@code annex-sync-notifychanges-N}, owned by this listener; events
 * are called on it, so they should only hand the news on (enqueue a fetch). Thread-safe; whoever started it closes
 * it, which ends the channel and the thread.
 */
public final class ChangeListener implements AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final int MAX_LINE = 1 << 20;

    private final ExecChannel channel;
    private final String where;
    private final Events events;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread reader;
    private volatile boolean closing;

    /** What a listener hears. Called on the listener's thread. */
    public interface Events {
        /** The far repository's refs changed; {@code shas} are the new ref values CHANGED named. */
        void changed(List<String> shas);

        /** The listener stopped hearing (the connection dropped, git-annex-shell ended); not called on close. */
        void ended(String why);
    }

    private ChangeListener(ExecChannel channel, String where, Events events) {
        this.channel = channel;
        this.where = where;
        this.events = events;
        this.reader = new Thread(this::read, "annex-sync-notifychanges-" + THREADS.incrementAndGet());
        reader.setDaemon(true);
    }

    static ChangeListener start(ExecChannel channel, String where, Events events) {
        ChangeListener l = new ChangeListener(channel, where, events);
        l.reader.start();
        return l;
    }

    /** Waits up to {@code timeout} for READY; whether it came (false too if the channel ended first). */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && reader.isAlive();
    }

    private void read() {
        String why = "git-annex-shell notifychanges on " + where + " ended";
        try (InputStream in = new BufferedInputStream(channel.stdout())) {
            Optional<String> line;
            while ((line = readLine(in)).isPresent()) {
                String l = line.get();
                if (l.equals("READY")) {
                    ready.countDown();
                } else if (l.startsWith("CHANGED ")) {
                    List<String> shas = Arrays.stream(l.substring("CHANGED ".length()).trim().split(" +"))
                            .filter(s -> SHA.matcher(s).matches()).toList();
                    events.changed(shas);
                }
            }
        } catch (IOException e) {
            why = "lost git-annex-shell notifychanges on " + where + ": " + SshErrors.explain(e);
        }
        if (!closing) {
            events.ended(why + stderrTail());
        }
    }

    /** The next line without its end, empty at the end of the stream; a line over 1 MiB is an error. */
    private Optional<String> readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? Optional.empty() : Optional.of(line.toString(StandardCharsets.UTF_8));
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("a line over " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        return Optional.of(line.toString(StandardCharsets.UTF_8).replaceFirst("\r$", ""));
    }

    private String stderrTail() {
        try {
            String err = new String(channel.stderr().readNBytes(4096), StandardCharsets.UTF_8).strip();
            return err.isEmpty() ? "" : ": " + err.lines().reduce((a, b) -> b).orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    /** Ends the channel and waits briefly for the reading thread. */
    @Override
    public void close() {
        closing = true;
        channel.close();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
