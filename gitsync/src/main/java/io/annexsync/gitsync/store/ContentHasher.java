package io.annexsync.gitsync.store;

import io.annexsync.gitsync.key.Backend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Streams a file through a digest, optionally writing every byte to a second file on the way, so each byte is read
 * once and memory stays at one buffer per call. Stateless and thread-safe; each call allocates its own buffer.
 */
public final class ContentHasher {
    private static final int SMALL_BUFFER = 64 * 1024;
    private static final int LARGE_BUFFER = 1024 * 1024;

    /** A digest and the number of bytes it covers. */
    public record Digest(byte[] digest, long size) {
        public Digest {
            digest = digest.clone();
        }

        @Override
        public byte[] digest() {
            return digest.clone();
        }
    }

    private ContentHasher() {}

    /** Hashes {@code source}, reporting each chunk's byte count to {@code progress}. */
    public static Digest hash(Path source, Backend backend, LongConsumer progress) throws IOException {
        return copyAndHash(source, Optional.empty(), backend, progress);
    }

    /**
     * Hashes {@code source} while copying it to {@code target} (created, must not exist), reading each byte once.
     * The copy is not forced to disk here: {@link ObjectStore#commit} does that, so that many files can be synced
     * at once.
     */
    public static Digest copyAndHash(Path source, Optional<Path> target, Backend backend, LongConsumer progress)
            throws IOException {
        MessageDigest md = backend.newDigest();
        long total = 0;
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel out = target.isPresent() ? openNew(target.get()) : null) {
            ByteBuffer buf = ByteBuffer.allocate(in.size() > SMALL_BUFFER ? LARGE_BUFFER : SMALL_BUFFER);
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n == 0) {
                    continue;
                }
                buf.flip();
                md.update(buf.array(), 0, buf.limit());
                if (out != null) {
                    while (buf.hasRemaining()) {
                        out.write(buf);
                    }
                }
                buf.clear();
                total += n;
                progress.accept(n);
            }
        }
        return new Digest(md.digest(), total);
    }

    private static FileChannel openNew(Path target) throws IOException {
        return FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
}
