package io.annexsync.transfer.remote.p2p.protocol;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.OptionalInt;

/**
 * The stdio of a git service started with {@code CONNECT}, as two streams over DATA frames: what the service writes
 * arrives through {@link #in()} until the server's {@code CONNECTDONE}; what is written to {@link #out()} goes as
 * one {@code DATA} frame per flush (or per 64 KiB). JGit's {@code BasePackFetchConnection} and
 * {@code BasePackPushConnection} run over these two streams ({@code init(in, out)}). Not thread-safe; closing it
 * closes the connection (a CONNECT uses it up).
 */
public final class GitTunnel implements Closeable {
    private static final int FRAME = 64 * 1024;

    private final P2PConnection connection;
    private final InputStream in = new TunnelIn();
    private final OutputStream out = new TunnelOut();
    private OptionalInt exitCode = OptionalInt.empty();

    GitTunnel(P2PConnection connection) {
        this.connection = connection;
    }

    /** What the remote service writes. */
    public InputStream in() {
        return in;
    }

    /** What the remote service reads. */
    public OutputStream out() {
        return out;
    }

    /** The service's exit code, once its {@code CONNECTDONE} arrived. */
    public OptionalInt exitCode() {
        return exitCode;
    }

    /** Reads (and drops) what the service still writes until its {@code CONNECTDONE}; its exit code. */
    public int awaitDone() throws IOException {
        byte[] skip = new byte[FRAME];
        while (in.read(skip) >= 0) {
            // drained
        }
        return exitCode.orElseThrow();
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }

    private final class TunnelIn extends InputStream {
        private boolean inBody;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (exitCode.isEmpty()) {
                if (inBody) {
                    int n = connection.readBody(b, off, len);
                    if (n >= 0) {
                        return n;
                    }
                    inBody = false;
                }
                P2PMessage m = connection.receive();
                switch (m) {
                    case P2PMessage.Data d -> inBody = true;
                    case P2PMessage.ConnectDone done -> exitCode = OptionalInt.of(done.exitCode());
                    default -> throw new P2PProtocolException(connection.peer() + " sent " + describe(m)
                            + " inside a git service's stream");
                }
            }
            return -1;
        }
    }

    private static String describe(P2PMessage m) {
        return m instanceof P2PMessage.Unknown u ? "'" + u.line() + "'" : P2PCodec.format(m);
    }

    private final class TunnelOut extends OutputStream {
        private final byte[] buffer = new byte[FRAME];
        private int used;

        @Override
        public void write(int b) throws IOException {
            if (used == buffer.length) {
                flush();
            }
            buffer[used++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (used == buffer.length) {
                    flush();
                }
                int n = Math.min(len, buffer.length - used);
                System.arraycopy(b, off, buffer, used, n);
                used += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            if (used > 0) {
                connection.sendData(new ByteArrayInputStream(buffer, 0, used), used);
                used = 0;
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
