package io.annexsync.transfer.remote.p2p.protocol;

import io.annexsync.gitsync.Uuid;
import java.util.Objects;
import java.util.Optional;

/** How the server lets one connection in: which side speaks first and who the client is. */
public sealed interface Admission {
    /**
     * The transport proved who the client is (a pinned TLS certificate, ssh): the server speaks first with
     * {@code AUTH-SUCCESS}, as {@code git-annex-shell p2pstdio} does.
     */
    record Known(Uuid client) implements Admission {
        public Known {
            Objects.requireNonNull(client, "client");
        }
    }

    /**
     * The transport let the client in and already sent {@code AUTH-SUCCESS} itself (the mutual-TLS listener's
     * acceptance line): the session starts with the client's first request.
     */
    record Greeted(Uuid client) implements Admission {
        public Greeted {
            Objects.requireNonNull(client, "client");
        }
    }

    /**
     * The client must send {@code AUTH uuid token} first, as to git-annex's tor listener; a wrong token gets
     * {@code AUTH-FAILURE} and the connection stays open (git-annex's behaviour), up to a few tries.
     */
    record Token(Authenticator authenticator) implements Admission {
        public Token {
            Objects.requireNonNull(authenticator, "authenticator");
        }
    }

    /** Checks an {@code AUTH}; thread-safe; compares tokens in constant time. */
    @FunctionalInterface
    interface Authenticator {
        /** The client's uuid when {@code token} lets {@code claimed} in; empty when it does not. */
        Optional<Uuid> check(Uuid claimed, String token);
    }
}
