package io.annexsync.transfer.remote.p2p.tls;

import io.annexsync.gitsync.Uuid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pinned peers, one file each under {@code .git/annex-sync/peers/NAME}, in lines of {@code key = value}:
 *
 * <pre>
 * address = laptop.local:9420
 * device = MFZWI3D-...-EBQWI2L
 * uuid = 1d6cbb8e-0f7c-4b8a-9a7e-6b7c3e2a4f10
 * </pre>
 *
 * Files are written whole (a temporary file renamed into place) with mode 0600; the folder is 0700. A file that cannot
 * be read is reported by {@link #list()} and {@link #find} and trusted by no one ({@link #pinnedIds()} leaves it out).
 * Every call reads the folder afresh, so a pin added by {@code annex-sync peer add} counts at the next handshake of a
 * running daemon. Thread-safe; writers of one peer's file are the CLI (a person) and the daemon learning a uuid.
 */
public final class PeerPins {
    /** The folder, relative to the git directory. */
    public static final String FOLDER = "annex-sync/peers";

    private static final Logger LOG = LoggerFactory.getLogger(PeerPins.class);

    private final Path dir;

    /** The pins of the repository whose git directory is {@code gitDir}. */
    public PeerPins(Path gitDir) {
        this.dir = Objects.requireNonNull(gitDir, "gitDir").resolve(FOLDER);
    }

    /** The folder the pins are in. */
    public Path folder() {
        return dir;
    }

    /**
     * Every pinned peer, by name.
     *
     * @throws PinFileException for the first file that cannot be read (naming it)
     */
    public List<PeerPin> list() throws IOException {
        List<PeerPin> out = new ArrayList<>();
        for (Path f : files()) {
            out.add(read(f));
        }
        return out;
    }

    /** The peer called {@code name}, if pinned. */
    public Optional<PeerPin> find(String name) throws IOException {
        if (!PeerPin.validName(name)) {
            return Optional.empty();
        }
        Path f = dir.resolve(name);
        return Files.exists(f) ? Optional.of(read(f)) : Optional.empty();
    }

    /** The peer with device id {@code id}, if pinned (unreadable files are skipped). */
    public Optional<PeerPin> findById(DeviceId id) throws IOException {
        for (Path f : files()) {
            try {
                PeerPin p = read(f);
                if (p.id().equals(id)) {
                    return Optional.of(p);
                }
            } catch (PinFileException e) {
                LOG.warn("{}", e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** The device ids of every readable pin: the ones the TLS trust manager lets in. */
    public Set<DeviceId> pinnedIds() {
        Set<DeviceId> ids = new HashSet<>();
        try {
            for (Path f : files()) {
                try {
                    ids.add(read(f).id());
                } catch (PinFileException e) {
                    LOG.warn("not trusting {}", e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read the pinned peers in {}: {}", dir, e.toString());
        }
        return ids;
    }

    /** Writes {@code pin}, replacing the file of a peer of that name. */
    public void save(PeerPin pin) throws IOException {
        Files.createDirectories(dir.getParent());
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectory(dir,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // made by another process meanwhile
            }
        }
        StringBuilder text = new StringBuilder();
        text.append("address = ").append(pin.address()).append('\n');
        text.append("device = ").append(pin.id()).append('\n');
        pin.uuid().ifPresent(u -> text.append("uuid = ").append(u.value()).append('\n'));
        Path tmp = Files.createTempFile(dir, "." + pin.name() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, dir.resolve(pin.name()), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(pin.name()), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Removes the pin of {@code name}; whether there was one. */
    public boolean remove(String name) throws IOException {
        return PeerPin.validName(name) && Files.deleteIfExists(dir.resolve(name));
    }

    private List<Path> files() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> PeerPin.validName(p.getFileName().toString()) && Files.isRegularFile(p)).sorted()
                    .toList();
        }
    }

    private static PeerPin read(Path f) throws IOException {
        String text;
        try {
            text = Files.readString(f, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new PinFileException(f + ": removed while being read", e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new PinFileException(f + ": not UTF-8 text", e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq < 0) {
                throw new PinFileException(f + ": line '" + l + "' is not 'key = value'", null);
            }
            values.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
        }
        try {
            String address = required(f, values, "address");
            String device = required(f, values, "device");
            Optional<Uuid> uuid = Optional.ofNullable(values.get("uuid")).map(u -> Uuid.parse(u).orElseThrow(
                    () -> new IllegalArgumentException("uuid '" + u + "' is not a repository uuid")));
            return new PeerPin(f.getFileName().toString(), PeerAddress.parse(address), DeviceId.parse(device), uuid);
        } catch (IllegalArgumentException e) {
            throw new PinFileException(f + ": " + e.getMessage(), e);
        }
    }

    private static String required(Path f, Map<String, String> values, String key) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("no '" + key + " = ...' line");
        }
        return v;
    }

    /** A pin file that cannot be read; its message names the file and what is wrong. */
    public static final class PinFileException extends IOException {
        private static final long serialVersionUID = 1L;

        PinFileException(String message, Throwable cause) {
            super("pinned peer " + message, cause);
        }
    }
}
