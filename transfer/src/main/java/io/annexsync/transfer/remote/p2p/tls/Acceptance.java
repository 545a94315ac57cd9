package io.annexsync.transfer.remote.p2p.tls;

import io.annexsync.gitsync.Uuid;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The line a listener sends once it has let a peer in, {@code AUTH-SUCCESS <uuid>\n} with its repository's uuid: the
 * first message of git-annex's P2P protocol over {@code p2pstdio}, so the protocol goes on from there on the same
 * connection. A client must wait for it: under TLS 1.3 a client's handshake succeeds before the server has judged the
 * client's certificate, so only this line says the server let it in.
 */
final class Acceptance {
    static final String PREFIX = "AUTH-SUCCESS ";
    /** The longest line a client reads while waiting to be accepted. */
    static final int MAX_LINE = 1024;

    private Acceptance() {}

    static byte[] line(Uuid uuid) {
        return (PREFIX + uuid.value() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The uuid in {@code line} (without its newline), if it is an acceptance line. */
    static Optional<Uuid> parse(String line) {
        return line.startsWith(PREFIX) ? Uuid.parse(line.substring(PREFIX.length())) : Optional.empty();
    }
}
