package io.annexsync.transfer.remote.p2p.protocol;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of git-annex's P2P protocol, as a value. {@link P2PCodec} turns lines into these and back; a line that
 * is no message of versions 0 and 1 (a newer version's, or garbage) becomes {@link Unknown}, which is never sent.
 * The raw bytes after a {@link Data} line are not part of the message: the framing ({@link FrameParser}) carries
 * them.
 */
public sealed interface P2PMessage {

    /** {@code AUTH uuid token}: the client says who it is, with the token the server gave it. */
    record Auth(Uuid uuid, String token) implements P2PMessage {
        public Auth {
            Objects.requireNonNull(uuid, "uuid");
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "AUTH " + uuid + " <token>";
        }
    }

    /** {@code AUTH-SUCCESS uuid}: the server's uuid, once the client is let in. */
    record AuthSuccess(Uuid uuid) implements P2PMessage {
        public AuthSuccess {
            Objects.requireNonNull(uuid, "uuid");
        }
    }

    /** {@code AUTH-FAILURE}. */
    record AuthFailure() implements P2PMessage {}

    /** {@code VERSION n}: the client's highest version; the server answers with the version both speak. */
    record Version(long version) implements P2PMessage {
        public Version {
            if (version < 0) {
                throw new IllegalArgumentException("negative protocol version " + version);
            }
        }
    }

    /** {@code CHECKPRESENT key}. */
    record CheckPresent(Key key) implements P2PMessage {
        public CheckPresent {
            Objects.requireNonNull(key, "key");
        }
    }

    /** {@code LOCKCONTENT key}: keep the content until {@link UnlockContent}. */
    record LockContent(Key key) implements P2PMessage {
        public LockContent {
            Objects.requireNonNull(key, "key");
        }
    }

    /** {@code UNLOCKCONTENT} (no key, whatever the design page shows). */
    record UnlockContent() implements P2PMessage {}

    /** {@code REMOVE key}. */
    record Remove(Key key) implements P2PMessage {
        public Remove {
            Objects.requireNonNull(key, "key");
        }
    }

    /** {@code GET offset file key}: send the content from {@code offset}; the file is for display only. */
    record Get(long offset, Optional<String> file, Key key) implements P2PMessage {
        public Get {
            requireOffset(offset);
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(key, "key");
        }
    }

    /** {@code PUT file key}: the client offers content. */
    record Put(Optional<String> file, Key key) implements P2PMessage {
        public Put {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(key, "key");
        }
    }

    /** {@code PUT-FROM offset}: send from here (the server has a partial file of this size). */
    record PutFrom(long offset) implements P2PMessage {
        public PutFrom {
            requireOffset(offset);
        }
    }

    /** {@code ALREADY-HAVE}. */
    record AlreadyHave() implements P2PMessage {}

    /** {@code DATA len}: exactly {@code length} raw bytes follow the line. */
    record Data(long length) implements P2PMessage {
        public Data {
            requireOffset(length);
        }
    }

    /** {@code VALID} (version 1): the data just sent was read unchanged. */
    record Valid() implements P2PMessage {}

    /** {@code INVALID} (version 1): the file changed while it was being sent; discard the data. */
    record Invalid() implements P2PMessage {}

    /** {@code SUCCESS}. */
    record Success() implements P2PMessage {}

    /** {@code FAILURE}. */
    record Failure() implements P2PMessage {}

    /** {@code ERROR text}: a protocol error; the text takes the rest of the line. */
    record Error(String text) implements P2PMessage {
        public Error {
            Objects.requireNonNull(text, "text");
            if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("ERROR text holds a line break");
            }
        }
    }

    /** {@code CONNECT service}: run git's service, its stdio in DATA frames both ways. */
    record Connect(Service service) implements P2PMessage {
        public Connect {
            Objects.requireNonNull(service, "service");
        }
    }

    /** {@code CONNECTDONE code}: the service exited with this code. */
    record ConnectDone(int exitCode) implements P2PMessage {}

    /** {@code NOTIFYCHANGE}: answer with {@link Changed} when a ref changes. */
    record NotifyChange() implements P2PMessage {}

    /** {@code CHANGED sha…}: the refs that changed, as object ids (git-annex sends SHAs, not names). */
    record Changed(List<String> refs) implements P2PMessage {
        public Changed {
            refs = List.copyOf(refs);
            for (String r : refs) {
                if (r.isEmpty() || r.chars().anyMatch(c -> c <= ' ')) {
                    throw new IllegalArgumentException("bad ref in CHANGED: '" + r + "'");
                }
            }
        }
    }

    /**
     * A line that is no message this side speaks (a later version's such as {@code GETTIMESTAMP}, a bad key or
     * file, garbage). Never sent; the server answers it with {@code ERROR unknown command}.
     *
     * @param line the line as received, cut to a length fit for a log
     * @param reason why it is not a message, for the log line
     */
    record Unknown(String line, String reason) implements P2PMessage {
        public Unknown {
            Objects.requireNonNull(line, "line");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The git services {@code CONNECT} can run. */
    enum Service {
        UPLOAD_PACK("git-upload-pack"),
        RECEIVE_PACK("git-receive-pack");

        private final String wireName;

        Service(String wireName) {
            this.wireName = wireName;
        }

        /** The name on the wire. */
        public String wireName() {
            return wireName;
        }

        /** The service with this wire name, if it is one. */
        public static Optional<Service> of(String name) {
            for (Service s : values()) {
                if (s.wireName.equals(name)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    private static void requireOffset(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative offset or length " + value);
        }
    }
}
