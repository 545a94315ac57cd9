package io.annexsync.gitsync.store;

import io.annexsync.gitsync.key.Backend;
import io.annexsync.gitsync.key.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;

/** Checks a file against a key: size first, then a streaming checksum. Stateless and thread-safe. */
final class Verifier {
    private Verifier() {}

    static VerifyResult check(Key key, Path file) throws IOException {
        long size = Files.size(file);
        if (key.size().isPresent() && key.size().getAsLong() != size) {
            return VerifyResult.BAD_SIZE;
        }
        Optional<Backend> backend = key.backend();
        if (backend.isEmpty() || key.chunkSize().isPresent()) {
            return VerifyResult.UNVERIFIABLE;
        }
        return matches(key, ContentHasher.hash(file, backend.get(), n -> { }).digest());
    }

    /**
     * Checks {@code size} bytes whose {@code digest} (by the key's backend) was computed as they arrived, without
     * reading them again.
     */
    static VerifyResult check(Key key, long size, byte[] digest) {
        if (key.size().isPresent() && key.size().getAsLong() != size) {
            return VerifyResult.BAD_SIZE;
        }
        if (key.backend().isEmpty() || key.chunkSize().isPresent()) {
            return VerifyResult.UNVERIFIABLE;
        }
        return matches(key, digest);
    }

    private static VerifyResult matches(Key key, byte[] digest) {
        return hashOf(key, key.backend().orElseThrow()).equals(HexFormat.of().formatHex(digest))
                ? VerifyResult.OK
                : VerifyResult.BAD_CHECKSUM;
    }

    /** The hex hash in a key's name: the name without its extension for E backends. */
    private static String hashOf(Key key, Backend backend) {
        String name = key.name();
        if (!backend.keepsExtension()) {
            return name;
        }
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }
}
