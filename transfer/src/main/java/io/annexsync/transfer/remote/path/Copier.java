package io.annexsync.transfer.remote.path;

import io.annexsync.gitsync.key.Key;
import io.annexsync.transfer.remote.Meter;
import io.annexsync.transfer.remote.Stopped;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * The path remote's copier: moves one object's bytes into a partial file, hashing them as they arrive so that the
 * receiver never reads them a second time. A partial file left by an earlier try is continued from the offset given:
 * its bytes are hashed from the local disk and only the rest is read from the source. Every read waits for its bytes
 * under the bandwidth limits of the {@link Meter}. The partial is forced to disk before the copy counts as done.
 * Stateless.
 */
final class Copier {
    private static final int BUFFER = 1 << 20;
    /** Bytes per read under a bandwidth limit: small enough that the limit paces smoothly. */
    private static final int LIMITED_CHUNK = 256 << 10;

    /**
     * What a copy did.
     *
     * @param digest the digest of the whole partial file by the key's backend; empty when the key has none
     * @param size the partial file's size at the end
     * @param resumedFrom the bytes already in the partial file, not read from the source again
     */
    record Copied(byte[] digest, long size, long resumedFrom) {
        /** The bytes read from the source. */
        long moved() {
            return size - resumedFrom;
        }
    }

    private Copier() {}

    /**
     * Copies {@code source} into {@code partial}, keeping its first {@code offset} bytes (fewer when it is shorter;
     * none when it is longer than the source), paced by {@code meter}, which is told the partial file's size as it
     * grows (from the resume point on).
     *
     * @throws Stopped when the meter says to stop before a chunk; the partial file is kept
     */
    static Copied copy(Path source, Path partial, Key key, long offset, Meter meter)
            throws IOException, InterruptedException, Stopped {
        MessageDigest md = key.backend().isPresent() && key.chunkSize().isEmpty()
                ? key.backend().get().newDigest() : null;
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE)) {
            long size = in.size();
            long have = Math.min(out.size(), Math.max(0, offset));
            if (have < out.size()) {
                out.truncate(have);
            }
            if (have > size) {
                out.truncate(0);
                have = 0;
            }
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(size, 1)));
            if (have > 0 && md != null) {
                hashPrefix(out, have, md, buf);
            }
            long resumedFrom = have;
            meter.progress(have);
            int chunk = !meter.limited() ? buf.capacity() : Math.min(buf.capacity(), LIMITED_CHUNK);
            long pos = have;
            while (pos < size) {
                if (meter.stopping()) {
                    out.force(false);
                    throw new Stopped();
                }
                int want = (int) Math.min(chunk, size - pos);
                meter.pace(want);
                buf.clear().limit(want);
                int n = in.read(buf, pos);
                if (n < 0) {
                    break; // the source shrank under us: the verification that follows reports it
                }
                buf.flip();
                if (md != null) {
                    md.update(buf.array(), 0, n);
                }
                while (buf.hasRemaining()) {
                    out.write(buf, pos + buf.position());
                }
                pos += n;
                meter.progress(pos);
            }
            out.truncate(pos);
            out.force(true);
            return new Copied(md == null ? new byte[0] : md.digest(), pos, resumedFrom);
        }
    }

    private static void hashPrefix(FileChannel out, long have, MessageDigest md, ByteBuffer buf) throws IOException {
        long pos = 0;
        while (pos < have) {
            buf.clear().limit((int) Math.min(buf.capacity(), have - pos));
            int n = out.read(buf, pos);
            if (n < 0) {
                throw new IOException("the partial file shrank while it was read");
            }
            md.update(buf.array(), 0, n);
            pos += n;
        }
    }
}
