package io.annexsync.gitsync.stage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reports bytes read to a {@link StageProgress}. Not thread-safe, like the stream it wraps. */
final class CountingInputStream extends FilterInputStream {
    private final StageProgress progress;

    CountingInputStream(InputStream in, StageProgress progress) {
        super(in);
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            progress.bytesHashed(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            progress.bytesHashed(n);
        }
        return n;
    }
}
