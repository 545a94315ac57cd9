package io.annexsync.transfer.remote.p2p.protocol;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Records the raw bytes of a conversation, one file per direction ({@code NAME.c2s}, {@code NAME.s2c}). */
final class Transcript {
    private final Path c2s;
    private final Path s2c;

    Transcript(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            c2s = dir.resolve(name + ".c2s");
            s2c = dir.resolve(name + ".s2c");
            Files.deleteIfExists(c2s);
            Files.deleteIfExists(s2c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder transcripts of the real git-annex conversations go to: target/p2p-transcripts. */
    static Path folder() {
        return Path.of("target", "p2p-transcripts");
    }

    InputStream fromServer(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    append(s2c, b, off, n);
                }
                return n;
            }
        };
    }

    OutputStream toServer(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                append(c2s, b, off, len);
                out.write(b, off, len);
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }
        };
    }

    private static synchronized void append(Path file, byte[] b, int off, int len) throws IOException {
        try (OutputStream o = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            o.write(b, off, len);
        }
    }
}
