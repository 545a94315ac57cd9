package io.annexsync.transfer.remote.p2p.tls;

import io.annexsync.gitsync.Uuid;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A peer this device lets in and connects to: its name (as the git remote is called), where it listens, its device id
 * and, once learned from its acceptance line, its repository uuid.
 *
 * @param name letters, digits, {@code .}, {@code _} and {@code -}, starting with a letter or digit (a git remote name
 *     and a file name)
 * @param address where it listens
 * @param id its device id, the fingerprint its certificate must have
 * @param uuid its repository's uuid, when known
 */
public record PeerPin(String name, PeerAddress address, DeviceId id, Optional<Uuid> uuid) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public PeerPin {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(uuid, "uuid");
        if (!validName(name)) {
            throw new IllegalArgumentException("bad peer name '" + name + "': use letters, digits, '.', '_' and '-'");
        }
        if (address.port() == 0) {
            throw new IllegalArgumentException("not a port to connect to: 0 (1 to 65535)");
        }
    }

    /** Whether {@code name} can name a peer. */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches() && name.length() <= 100;
    }

    /** This pin with the peer's uuid. */
    public PeerPin withUuid(Uuid known) {
        return new PeerPin(name, address, id, Optional.of(known));
    }
}
