package io.annexsync.transfer.remote.p2p.protocol;

import io.annexsync.gitsync.RepoException;
import io.annexsync.transfer.record.ActiveTransfer;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Writes through and tells the transfer record how far it got (the record throttles its own rewrites). */
final class ProgressStream extends FilterOutputStream {
    private final ActiveTransfer transfer;
    private long done;

    ProgressStream(OutputStream out, long start, ActiveTransfer transfer) {
        super(out);
        this.transfer = transfer;
        this.done = start;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        done += len;
        try {
            transfer.progress(done);
        } catch (RepoException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }
}
