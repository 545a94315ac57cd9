package io.annexsync.app.assistant;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.transfer.remote.p2p.git.PeerServer;
import io.annexsync.transfer.remote.p2p.git.PolledRefChanges;
import io.annexsync.transfer.remote.p2p.tls.PeerAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's peer listener ({@code assistant.listen}, docs/assistant.md): this repository served to its pinned
 * peers over mutual TLS ({@link PeerServer}), their {@code NOTIFYCHANGE} answered when a branch here moves. An address
 * that cannot be bound (a port in use) is one warning in the log and {@code listen-problem} in {@code daemon.json},
 * and the daemon runs on without listening: its own pushes and fetches, and every other remote, still work. Closed
 * with the daemon.
 */
final class PeerListening implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerListening.class);
    /** How often the branches are looked at while a peer waits in NOTIFYCHANGE. */
    static final Duration REF_LOOK = Duration.ofMillis(250);

    private final PolledRefChanges refChanges;
    private final PeerServer server;

    private PeerListening(PolledRefChanges refChanges, PeerServer server) {
        this.refChanges = refChanges;
        this.server = server;
    }

    /** Starts listening on {@code listen}; empty when it is off or could not be bound (then logged). */
    static Optional<PeerListening> start(AnnexRepo repo, Optional<PeerAddress> listen, StatusBoard board) {
        if (listen.isEmpty()) {
            LOG.info("not listening for peers (assistant.listen = off)");
            return Optional.empty();
        }
        PeerAddress at = listen.get();
        PolledRefChanges refChanges = new PolledRefChanges(repo.git(), REF_LOOK);
        try {
            PeerServer server = PeerServer.start(repo, new InetSocketAddress(at.host(), at.port()), refChanges);
            InetSocketAddress bound = server.address();
            String shown = new PeerAddress(bound.getHostString(), bound.getPort()).toString();
            board.listening(shown, "");
            LOG.info("listening for peers on {}", shown);
            return Optional.of(new PeerListening(refChanges, server));
        } catch (IOException | RepoException | RuntimeException e) {
            refChanges.close();
            String why = "not listening for peers on " + at + ": " + e.getMessage() + " (set assistant.listen to "
                    + "another port, or off; the daemon runs on without accepting peers)";
            LOG.warn(why);
            board.listening(at.toString(), why);
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        server.close();
        refChanges.close();
    }
}
