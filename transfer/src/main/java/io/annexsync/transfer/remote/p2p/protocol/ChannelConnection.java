package io.annexsync.transfer.remote.p2p.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.ReferenceCountUtil;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A P2P connection over a Netty channel whose pipeline holds {@link P2PFrameDecoder} and {@link P2PMessageEncoder}:
 * the blocking side a session thread (a virtual thread, never an event loop) talks through. The channel runs with
 * auto-read off; the inbox is refilled with one {@code read()} only when it is empty, so a fast sender is held back
 * by TCP and memory stays bounded. Writes wait while the channel is not writable. The event loop calls only
 * {@link #offer} and {@link #end}; everything else belongs to the one session thread.
 */
public final class ChannelConnection implements P2PConnection {
    private static final Object CLOSED = new Object();
    private static final int CHUNK = 64 * 1024;
    /** Frames a peer may send unasked while the session waits ({@link #isOpen}) before it counts as gone. */
    private static final int MAX_PENDING = 64;

    private final Channel channel;
    private final Duration idleTimeout;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private volatile Throwable failure;
    private volatile boolean closed;
    private ByteBuf current;
    private long bodyRemaining;

    /** A connection on {@code channel}; a wait for the peer longer than {@code idleTimeout} fails. */
    public ChannelConnection(Channel channel, Duration idleTimeout) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        channel.config().setAutoRead(false);
    }

    /** From the event loop: a decoded message or body chunk (ownership passes here). */
    public void offer(Object frame) {
        inbox.add(frame);
        if (closed) {
            drain();
        }
    }

    /** From the event loop: the channel closed, after {@code cause} when it failed. */
    public void end(Throwable cause) {
        if (cause != null && failure == null) {
            failure = cause;
        }
        inbox.add(CLOSED);
    }

    private Object take() throws IOException {
        Object o = inbox.poll();
        try {
            if (o == null) {
                channel.read();
                o = inbox.poll(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for " + peer());
        }
        if (o == null) {
            throw new SocketTimeoutException(peer() + " sent nothing for " + idleTimeout.toSeconds() + " s");
        }
        if (o == CLOSED) {
            inbox.add(CLOSED);
            Throwable cause = failure;
            throw cause == null ? new EOFException(peer() + " closed the connection")
                    : new IOException(peer() + ": " + cause.getMessage(), cause);
        }
        return o;
    }

    @Override
    public P2PMessage receive() throws IOException {
        if (bodyRemaining > 0) {
            throw new IllegalStateException("the body of the last DATA was not read");
        }
        Object o = take();
        if (!(o instanceof P2PMessage m)) {
            ReferenceCountUtil.release(o);
            throw new IllegalStateException("body bytes outside a DATA");
        }
        if (m instanceof P2PMessage.Data data) {
            bodyRemaining = data.length();
        }
        return m;
    }

    @Override
    public int readBody(byte[] into, int offset, int length) throws IOException {
        if (bodyRemaining == 0) {
            return -1;
        }
        if (current == null) {
            Object o;
            try {
                o = take();
            } catch (EOFException e) {
                throw new EOFException(peer() + " closed the connection with " + bodyRemaining
                        + " bytes of DATA still to come");
            }
            if (!(o instanceof ByteBuf buf)) {
                throw new IllegalStateException("a message inside a DATA body");
            }
            current = buf;
        }
        int n = Math.min(length, current.readableBytes());
        current.readBytes(into, offset, n);
        bodyRemaining -= n;
        if (!current.isReadable()) {
            current.release();
            current = null;
        }
        return n;
    }

    @Override
    public void send(P2PMessage message) throws IOException {
        write(message);
    }

    @Override
    public boolean sendData(InputStream source, long length) throws IOException {
        write(new P2PMessage.Data(length));
        long left = length;
        boolean complete = true;
        while (left > 0) {
            int want = (int) Math.min(CHUNK, left);
            ByteBuf chunk = channel.alloc().buffer(want);
            try {
                int n = complete ? chunk.writeBytes(source, want) : -1;
                if (n < 0) {
                    complete = false;
                    chunk.writeZero(want);
                    n = want;
                }
                left -= n;
            } catch (IOException | RuntimeException e) {
                chunk.release();
                throw e;
            }
            write(chunk);
        }
        return complete;
    }

    private void write(Object frame) throws IOException {
        ChannelFuture f = channel.writeAndFlush(frame);
        if (!channel.isWritable()) {
            try {
                f.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted writing to " + peer());
            }
        }
        if (f.isDone() && !f.isSuccess()) {
            throw new IOException("cannot write to " + peer() + ": " + f.cause().getMessage(), f.cause());
        }
    }

    @Override
    public boolean isOpen() {
        if (!channel.isActive() || inbox.contains(CLOSED) || inbox.size() >= MAX_PENDING) {
            // gone, or talking on and on where it should wait (NOTIFYCHANGE): no reason to keep it
            return false;
        }
        // with auto-read off a peer's close is seen only by reading
        channel.read();
        return true;
    }

    @Override
    public String peer() {
        return String.valueOf(channel.remoteAddress());
    }

    @Override
    public void close() {
        closed = true;
        channel.close();
        if (current != null) {
            current.release();
            current = null;
        }
        drain();
    }

    private void drain() {
        Object o;
        while ((o = inbox.poll()) != null) {
            ReferenceCountUtil.release(o);
        }
        inbox.add(CLOSED);
    }
}
