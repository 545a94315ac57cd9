package io.annexsync.transfer.remote.p2p.protocol;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.transfer.record.TransferRecords;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * This repository's P2P protocol server: hands out the Netty pipeline pieces for each accepted connection and owns
 * the virtual threads the sessions run on ({@code annex-sync-p2p-session-N}). Transport-agnostic: whoever accepts
 * connections (plain TCP in tests, the mutual-TLS listener in the daemon) puts {@link #initializer} after its own
 * handlers. Thread-safe; closing it interrupts the running sessions.
 */
public final class P2PServer implements AutoCloseable {
    /**
     * What the sessions serve.
     *
     * @param repo this repository
     * @param records its transfer records (the server writes them as git-annex does)
     * @param locations where gained and lost content is recorded
     * @param refChanges what answers NOTIFYCHANGE
     * @param idleTimeout how long a session waits for the peer's next message
     */
    public record Context(AnnexRepo repo, TransferRecords records, LocationWriter locations, RefChanges refChanges,
            Duration idleTimeout) {
        public Context {
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(records, "records");
            Objects.requireNonNull(locations, "locations");
            Objects.requireNonNull(refChanges, "refChanges");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
        }

        /** A location writer straight into {@code repo}'s git-annex journal. */
        public static LocationWriter journal(AnnexRepo repo) {
            return (key, present) -> repo.branch().setLocation(key, repo.uuid(), present);
        }
    }

    private final Context context;
    private final Function<Channel, Admission> admission;
    private final ExecutorService sessions = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("annex-sync-p2p-session-", 0).factory());

    /** A server for {@code context}; {@code admission} says how each new channel's client is let in. */
    public P2PServer(Context context, Function<Channel, Admission> admission) {
        this.context = Objects.requireNonNull(context, "context");
        this.admission = Objects.requireNonNull(admission, "admission");
    }

    /** Adds the protocol's decoder, encoder and session handler to a new channel's pipeline. */
    public ChannelInitializer<Channel> initializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                install(ch);
            }
        };
    }

    /** Adds the protocol's handlers at the end of {@code channel}'s pipeline (after TLS, say). */
    public void install(Channel channel) {
        channel.pipeline().addLast("p2p-frames", new P2PFrameDecoder())
                .addLast("p2p-encoder", new P2PMessageEncoder())
                .addLast("p2p-server", new P2PServerHandler(context, admission.apply(channel), sessions));
    }

    /**
     * Serves one connection on the calling thread until the peer leaves, as {@code git-annex-shell p2pstdio} serves
     * its stdio (for a command that runs the server over a pipe or an ssh channel). Never throws: what went wrong is
     * logged.
     */
    public void serve(P2PConnection connection, Admission admission) {
        new P2PServerSession(context, Objects.requireNonNull(admission, "admission"),
                Objects.requireNonNull(connection, "connection")).run();
    }

    @Override
    public void close() {
        sessions.shutdownNow();
    }
}
