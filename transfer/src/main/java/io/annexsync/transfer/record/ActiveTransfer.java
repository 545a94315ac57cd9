package io.annexsync.transfer.record;

import io.annexsync.gitsync.GitDirs;
import io.annexsync.gitsync.RepoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A transfer this process is running, recorded where git-annex and other annex-sync processes see it: its info file
 * exists and its lock file is locked until {@link #finish()}, {@link #fail()} or {@link #close()}. Made by {@link
 * TransferRecords#begin}; whoever began it closes it, normally in try-with-resources with {@code finish()} as the
 * last statement of the block, so that any way out without it records a failure as git-annex does.
 *
 * <p>Thread-safe: the transfer thread reports progress while others may read {@link #info()}.
 */
public final class ActiveTransfer implements AutoCloseable {
    /** At most this often is the info file rewritten for progress. */
    static final long MIN_WRITE_INTERVAL_MILLIS = 250;
    private static final Duration MIN_WRITE_INTERVAL = Duration.ofMillis(MIN_WRITE_INTERVAL_MILLIS);
    /** The progress step that is worth a rewrite when the key has no size (git-annex's figure). */
    static final long UNKNOWN_SIZE_STEP = 100 * 1024;

    private final RecordFiles files;
    private final Clock clock;
    private final long step;
    /** The latest state, also for readers that do not take the monitor. */
    private volatile TransferInfo info;
    private long writtenBytes;
    private Instant writtenAt;
    private boolean ended;

    ActiveTransfer(RecordFiles files, TransferInfo info, Clock clock) {
        this.files = files;
        this.info = info;
        this.clock = clock;
        this.step = info.key().size().isPresent() ? Math.max(1, info.key().size().getAsLong() / 100)
                : UNKNOWN_SIZE_STEP;
        this.writtenBytes = info.bytesDone().orElse(0);
        this.writtenAt = info.started();
    }

    /** The record as it stands, with the latest bytes done reported even when not yet written. */
    public TransferInfo info() {
        return info;
    }

    /**
     * Reports that {@code bytesDone} bytes have moved. The info file is rewritten only when that is at least 1% of
     * the key's size (100 KiB when unknown) away from what it says and the last rewrite is at least
     * {@value #MIN_WRITE_INTERVAL_MILLIS} ms old, so calling this for every buffer costs nothing.
     *
     * @throws IllegalStateException when the transfer has ended
     */
    public synchronized void progress(long bytesDone) throws RepoException {
        if (bytesDone < 0) {
            throw new IllegalArgumentException("negative bytes done: " + bytesDone);
        }
        checkRunning();
        info = info.withBytesDone(bytesDone);
        Instant now = clock.instant();
        if (Math.abs(bytesDone - writtenBytes) < step || Duration.between(writtenAt, now).compareTo(
                MIN_WRITE_INTERVAL) < 0) {
            return;
        }
        try {
            write(files.info(), info);
        } catch (IOException e) {
            throw new RepoException("cannot write transfer record " + files.info(), e);
        }
        writtenBytes = bytesDone;
        writtenAt = now;
    }

    /** Ends a transfer that succeeded: deletes the info and lock files and releases the lock. Once only. */
    public synchronized void finish() throws RepoException {
        checkRunning();
        ended = true;
        TransferLocks.release(files.lock(), () -> {
            Files.deleteIfExists(files.info());
            Files.deleteIfExists(files.lock());
        });
    }

    /**
     * Ends a transfer that was stopped before it could finish (its process is shutting down; it resumes next time
     * from its partial file): removes the record as {@link #finish()} does, since nothing failed. Once only.
     */
    public synchronized void stop() throws RepoException {
        finish();
    }

    /**
     * Ends a transfer that failed: moves the info file to {@code failed/<direction>/<uuid>/<keyFile>}, where
     * {@code git annex info} and {@link TransferRecords#failed()} list it, deletes the lock file and releases the
     * lock. Once only.
     */
    public synchronized void fail() throws RepoException {
        checkRunning();
        ended = true;
        TransferLocks.release(files.lock(), () -> {
            GitDirs.createBelow(files.gitDir(), files.failed().getParent());
            try {
                Files.move(files.info(), files.failed(), StandardCopyOption.REPLACE_EXISTING);
            } catch (NoSuchFileException e) {
                // someone deleted the info file under us: the failure is still worth recording
                write(files.failed(), info);
            }
            Files.deleteIfExists(files.lock());
        });
    }

    /** Records a failure ({@link #fail()}) unless the transfer already ended; does nothing otherwise. */
    @Override
    public synchronized void close() throws RepoException {
        if (!ended) {
            fail();
        }
    }

    private void checkRunning() {
        if (ended) {
            throw new IllegalStateException("transfer of " + info.key() + " has ended");
        }
    }

    /**
     * Writes {@code info} into {@code file} in place: the new text over the old from the start, then the length cut,
     * so that a reader sees the old text or the new one but never an empty file (the text only grows or shrinks by a
     * few digits).
     */
    static void write(Path file, TransferInfo info) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(InfoFormat.format(info).getBytes(StandardCharsets.UTF_8));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            int length = bytes.remaining();
            while (bytes.hasRemaining()) {
                ch.write(bytes, length - bytes.remaining());
            }
            ch.truncate(length);
        }
    }
}
