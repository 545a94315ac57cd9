package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.transfer.remote.p2p.tls.DeviceId;
import io.annexsync.transfer.remote.p2p.tls.DeviceIdentity;
import io.annexsync.transfer.remote.p2p.tls.PeerConnectException;
import io.annexsync.transfer.remote.p2p.tls.PeerConnection;
import io.annexsync.transfer.remote.p2p.tls.PeerConnector;
import io.annexsync.transfer.remote.p2p.tls.PeerPin;
import io.annexsync.transfer.remote.p2p.tls.PeerPins;
import io.annexsync.transfer.remote.p2p.tls.PeerStreams;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code annex-sync p2p-relay ADDRESS} (hidden): relays standard input and output through a mutual-TLS connection to
 * the pinned peer ADDRESS (its device id, as in {@code p2p-annex::annexsync:DEVICE-ID}, or its name). The listener's
 * acceptance line {@code AUTH-SUCCESS <uuid>} is passed on first, so the stream reads as {@code git-annex-shell
 * p2pstdio} does. At the end of standard input the relay says so to the peer (TLS close_notify) and carries on until
 * the peer closes. What {@code bin/git-annex-p2p-annexsync} runs.
 */
@Command(name = "p2p-relay", hidden = true,
        description = "Relay standard input and output through a TLS connection to a pinned peer.")
final class P2pRelayCommand extends RepoCommand {
    private static final int BUFFER = 64 << 10;

    @Parameters(index = "0", paramLabel = "ADDRESS", description = "The peer's device id (or its name).")
    String address;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to try to connect (default 10).")
    int timeoutSeconds = 10;

    @Override
    int run(AnnexRepo repo, Reporter reporter) throws RepoException {
        DeviceIdentity identity = PeerCommand.identity(repo);
        PeerPin pin;
        try {
            pin = find(new PeerPins(repo.gitDir())).orElseThrow(() -> new IllegalArgumentException("no pinned peer '"
                    + address + "' (annex-sync peer list shows them)"));
        } catch (IOException e) {
            throw new RepoException(e.getMessage(), e);
        }
        try (PeerConnector connector = new PeerConnector(identity, 1);
                PeerConnection c = connector.connect(pin.address(), pin.id(), Duration.ofSeconds(timeoutSeconds))) {
            relay(c, new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
            return ExitCode.OK;
        } catch (PeerConnectException e) {
            reporter.warn("annex-sync: p2p-relay: " + e.getMessage());
            return ExitCode.FAILED;
        } catch (IOException e) {
            throw new RepoException("p2p-relay to " + pin.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    boolean writes() {
        return false;
    }

    private Optional<PeerPin> find(PeerPins pins) throws IOException {
        Optional<PeerPin> byName = pins.find(address);
        if (byName.isPresent()) {
            return byName;
        }
        try {
            return pins.findById(DeviceId.parse(address));
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }

    private static void relay(PeerConnection c, InputStream stdin, OutputStream stdout) throws IOException {
        PeerStreams s = c.streams();
        String accepted = "AUTH-SUCCESS " + c.peerUuid().map(u -> u.value()).orElseThrow() + "\n";
        stdout.write(accepted.getBytes(StandardCharsets.UTF_8));
        stdout.flush();
        Thread up = Thread.ofVirtual().name("annex-sync-relay-up").start(() -> {
            byte[] buf = new byte[BUFFER];
            try {
                for (int n; (n = stdin.read(buf)) >= 0; ) {
                    s.out().write(buf, 0, n);
                    s.out().flush();
                }
                c.shutdownOutput();
            } catch (IOException e) {
                c.close(); // the peer went away, or stdin failed: the other direction ends with it
            }
        });
        byte[] buf = new byte[BUFFER];
        try {
            for (int n; (n = s.in().read(buf)) >= 0; ) {
                stdout.write(buf, 0, n);
                stdout.flush();
            }
        } finally {
            up.interrupt();
        }
    }
}
