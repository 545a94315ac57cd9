package io.annexsync.transfer.remote.p2p.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The last handler of a connection used through blocking streams: inbound buffers queue up for the {@link InputStream}
 * (at most about {@link #HIGH_WATER} bytes: past that it stops reading from the socket until the reader catches up,
 * as the channel's auto-read is off), and the {@link OutputStream} waits while the channel is not writable (its
 * outbound buffer is over Netty's high-water mark). The streams are for one reader thread and one writer thread.
 */
final class StreamBridge extends ChannelInboundHandlerAdapter {
    static final String NAME = "annex-sync-streams";
    static final int HIGH_WATER = 1 << 20;
    private static final int CHUNK = 64 << 10;
    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final Object writable = new Object();
    private final Channel channel;
    private final Input input = new Input();
    private final Output output = new Output();

    StreamBridge(Channel channel) {
        this.channel = channel;
    }

    InputStream input() {
        return input;
    }

    OutputStream output() {
        return output;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            queued.addAndGet(b.readableBytes());
            queue.add(b);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (queued.get() < HIGH_WATER) {
            ctx.read();
            return;
        }
        paused.set(true);
        // the reader may have drained the queue between the check and the flag: look again
        if (queued.get() < HIGH_WATER && paused.compareAndSet(true, false)) {
            ctx.read();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslCloseCompletionEvent) {
            queue.add(END); // the peer sent close_notify: its side of the stream has ended
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        queue.add(END);
        wakeWriters();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        queue.add(cause);
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        wakeWriters();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        queue.add(END);
    }

    private void wakeWriters() {
        synchronized (writable) {
            writable.notifyAll();
        }
    }

    private void consumed(int n) {
        if (queued.addAndGet(-n) < HIGH_WATER && paused.compareAndSet(true, false)) {
            channel.read();
        }
    }

    private final class Input extends InputStream {
        private ByteBuf current;
        private Object ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, current.readableBytes());
            current.readBytes(b, off, n);
            consumed(n);
            return n;
        }

        @Override
        public int available() {
            return current == null ? 0 : current.readableBytes();
        }

        /** Whether a buffer with bytes is at hand, waiting for one; false at the end of the stream. */
        private boolean fill() throws IOException {
            while (current == null || !current.isReadable()) {
                if (current != null) {
                    current.release();
                    current = null;
                }
                if (ended != null) {
                    return endOrThrow();
                }
                Object o;
                try {
                    o = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading from the peer");
                }
                if (o instanceof ByteBuf b) {
                    current = b;
                } else {
                    ended = o;
                }
            }
            return true;
        }

        private boolean endOrThrow() throws IOException {
            if (ended instanceof Throwable t) {
                throw new IOException("connection to the peer failed: " + t.getMessage(), t);
            }
            return false;
        }

        @Override
        public void close() {
            if (current != null) {
                current.release();
                current = null;
            }
            channel.close();
            for (Object o; (o = queue.poll()) != null; ) {
                ReferenceCountUtil.release(o); // what the peer sent that no one will read
            }
            queue.add(END);
        }
    }

    private final class Output extends OutputStream {
        private ByteBuf buffer;
        private volatile Throwable failed;

        @Override
        public void write(int b) throws IOException {
            room().writeByte(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                ByteBuf buf = room();
                int n = Math.min(len, buf.writableBytes());
                buf.writeBytes(b, off, n);
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() throws IOException {
            send();
        }

        /** The buffer being filled, with room for at least one byte: a full one is sent first. */
        private ByteBuf room() throws IOException {
            if (buffer != null && !buffer.isWritable()) {
                send();
            }
            if (buffer == null) {
                // a plain heap buffer: the writer is a virtual thread, and Netty's pooled allocators keep
                // per-thread caches that do not suit them (netty #13204)
                buffer = Unpooled.buffer(CHUNK, CHUNK);
            }
            return buffer;
        }

        /** Sends what is buffered, first waiting while the channel is not writable. */
        private void send() throws IOException {
            if (buffer == null) {
                check();
                return;
            }
            ByteBuf out = buffer;
            buffer = null;
            try {
                awaitWritable();
            } catch (IOException e) {
                out.release();
                throw e;
            }
            if (!out.isReadable()) {
                out.release();
                return;
            }
            channel.writeAndFlush(out).addListener(f -> {
                if (!f.isSuccess()) {
                    failed = f.cause();
                    wakeWriters();
                }
            });
        }

        private void awaitWritable() throws IOException {
            synchronized (writable) {
                while (!channel.isWritable()) {
                    check();
                    try {
                        writable.wait(1000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while writing to the peer");
                    }
                }
            }
            check();
        }

        private void check() throws IOException {
            Throwable t = failed;
            if (t != null) {
                throw new IOException("cannot write to the peer: " + t.getMessage(), t);
            }
            if (!channel.isActive()) {
                throw new IOException("the connection to the peer is closed");
            }
        }

        @Override
        public void close() throws IOException {
            try {
                flush();
            } finally {
                channel.close();
            }
        }
    }
}
