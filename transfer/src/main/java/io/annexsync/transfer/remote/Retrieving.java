package io.annexsync.transfer.remote;

import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.store.ObjectStore;
import io.annexsync.gitsync.store.VerifyResult;
import java.util.Objects;
import java.util.Optional;

/** What {@link Remote#retrieve} did. */
public sealed interface Retrieving {
    /**
     * The partial file holds the remote's content now.
     *
     * @param size the partial file's size
     * @param resumedFrom the bytes that were kept from an earlier try, not moved again
     * @param digest the digest of the whole partial file by the key's backend; empty when the key has none
     */
    record Retrieved(long size, long resumedFrom, byte[] digest) implements Retrieving {
        public Retrieved {
            Objects.requireNonNull(digest, "digest");
        }

        /**
         * Why the partial file does not hold {@code key}'s content ({@code wrong size}, {@code checksum differs});
         * empty when it does (or the key cannot be verified).
         */
        public Optional<String> mismatch(Key key) {
            VerifyResult result = ObjectStore.check(key, size, digest);
            if (result == VerifyResult.OK || result == VerifyResult.UNVERIFIABLE) {
                return Optional.empty();
            }
            return Optional.of(result == VerifyResult.BAD_SIZE ? "wrong size" : "checksum differs");
        }

        /** The bytes moved by this try. */
        public long moved() {
            return size - resumedFrom;
        }
    }

    /** The remote does not have the content (any more). */
    record NotPresent() implements Retrieving {}

    /**
     * The bytes could not be moved; {@code noSpace} when the disk the partial file is on ran out of space.
     *
     * @param reason for a person, naming the file, the remote and what went wrong
     */
    record Failed(String reason, boolean noSpace) implements Retrieving {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
