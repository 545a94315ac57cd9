package io.annexsync.transfer.remote.p2p.protocol;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.Uuid;
import io.annexsync.transfer.record.TransferRecords;
import java.io.FileInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * annex-sync's P2P server on stdio, as {@code git-annex-shell p2pstdio DIR CLIENT-UUID} is: what the tests' fake ssh
 * runs, so that real git-annex, as a client of an ssh remote, talks to annex-sync's server.
 */
public final class StdioServerMain {
    private StdioServerMain() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Uuid client = new Uuid(args[1]);
        try (AnnexRepo repo = AnnexRepo.open(dir)) {
            P2PServer.Context context = new P2PServer.Context(repo, new TransferRecords(repo.gitDir()),
                    P2PServer.Context.journal(repo), RefChanges.none(), Duration.ofSeconds(60));
            StreamConnection stdio = new StreamConnection(new FileInputStream(FileDescriptor.in),
                    new FileOutputStream(FileDescriptor.out), "git-annex over ssh");
            try (P2PServer server = new P2PServer(context, ch -> new Admission.Known(client))) {
                server.serve(stdio, new Admission.Known(client));
            }
        }
    }
}
