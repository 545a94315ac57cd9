package io.annexsync.transfer.remote.p2p.protocol;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.Uuid;
import io.annexsync.transfer.remote.p2p.protocol.P2PMessage.Service;
import java.io.IOException;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UploadPack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs JGit's UploadPack or ReceivePack for a {@code CONNECT}, its stdio carried in DATA frames, on the session's
 * thread; then sends {@code CONNECTDONE} with its exit code (0, or 1 when it failed) and the connection is used up, as
 * with git-annex. A push may only update {@code refs/heads/synced/*}: the checked-out branch of this (non-bare)
 * repository is never moved by a peer; the merger takes what arrived there.
 */
final class GitService {
    private static final Logger LOG = LoggerFactory.getLogger(GitService.class);
    static final String PUSHABLE = "refs/heads/synced/";

    private final AnnexRepo repo;
    private final P2PConnection connection;

    GitService(AnnexRepo repo, P2PConnection connection) {
        this.repo = repo;
        this.connection = connection;
    }

    void run(Service service, Uuid client) throws IOException {
        GitTunnel tunnel = new GitTunnel(connection);
        int code = 0;
        try {
            switch (service) {
                case UPLOAD_PACK -> new UploadPack(repo.git()).upload(tunnel.in(), tunnel.out(), null);
                case RECEIVE_PACK -> receivePack().receive(tunnel.in(), tunnel.out(), null);
            }
        } catch (IOException | RuntimeException e) {
            // JGit throws IllegalArgumentException on some garbage (a bad object id in a push command): either way
            // the peer's git talk failed, the service ends with code 1
            LOG.info("{} for P2P peer {} ({}) failed: {}", service.wireName(), connection.peer(), client,
                    e.toString());
            code = 1;
        }
        if (tunnel.exitCode().isEmpty() && connection.isOpen()) {
            tunnel.out().flush();
            connection.send(new P2PMessage.ConnectDone(code));
        }
    }

    private ReceivePack receivePack() {
        ReceivePack rp = new ReceivePack(repo.git());
        rp.setPreReceiveHook((pack, commands) -> {
            for (ReceiveCommand c : commands) {
                if (!c.getRefName().startsWith(PUSHABLE)) {
                    c.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "a peer may only push to " + PUSHABLE
                            + "*");
                }
            }
        });
        return rp;
    }
}
