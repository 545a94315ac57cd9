package io.annexsync.transfer.remote.p2p.protocol;

import io.annexsync.gitsync.Uuid;
import java.util.Objects;
import java.util.Optional;

/** How a {@link P2PClient} opens its connection: which side speaks first and what proves who the client is. */
public sealed interface Handshake {
    /**
     * The server speaks first with {@code AUTH-SUCCESS uuid}, as {@code git-annex-shell p2pstdio} does (the pipe
     * itself, ssh or a pinned TLS certificate, authenticated the client).
     *
     * @param expected the server uuid the client expects; a different one is refused
     */
    record ServerFirst(Optional<Uuid> expected) implements Handshake {
        public ServerFirst {
            Objects.requireNonNull(expected, "expected");
        }
    }

    /** The client sends {@code AUTH uuid token} first, as over git-annex's tor listener. */
    record Authenticate(String token) implements Handshake {
        public Authenticate {
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "Authenticate[<token>]";
        }
    }
}
