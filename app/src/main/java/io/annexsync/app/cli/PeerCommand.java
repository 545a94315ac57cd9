package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.transfer.remote.p2p.tls.DeviceId;
import io.annexsync.transfer.remote.p2p.tls.DeviceIdentity;
import io.annexsync.transfer.remote.p2p.tls.PeerAddress;
import io.annexsync.transfer.remote.p2p.tls.PeerConnectException;
import io.annexsync.transfer.remote.p2p.tls.PeerConnection;
import io.annexsync.transfer.remote.p2p.tls.PeerConnector;
import io.annexsync.transfer.remote.p2p.tls.PeerPin;
import io.annexsync.transfer.remote.p2p.tls.PeerPins;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.StoredConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code annex-sync peer id|add|list|remove}: this device's id, and the peers pinned by hand (docs/peers.md). A pinned
 * peer is also a git remote, {@code remote.NAME.url = p2p-annex::annexsync:DEVICE-ID}, git-annex's generic P2P form.
 */
@Command(
        name = "peer",
        description = "This device's id, and the peers it lets in and connects to over mutual TLS (docs/peers.md).",
        subcommands = {PeerCommand.Id.class, PeerCommand.Add.class, PeerCommand.ListPeers.class,
            PeerCommand.Remove.class})
final class PeerCommand {
    /** The URL prefix of a peer's git remote: git-annex's generic P2P network {@code annexsync}. */
    static final String URL_PREFIX = "p2p-annex::annexsync:";

    private PeerCommand() {}

    /** {@code peer id}: this device's id, made first if there is none. */
    @Command(name = "id", description = "Print this device's id, to read out and pin on the other device.")
    static final class Id extends RepoCommand {
        @Override
        int run(AnnexRepo repo, Reporter reporter) throws RepoException {
            DeviceIdentity identity = identity(repo);
            if (reporter.json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("device-id", identity.id().toString());
                o.put("sha256", identity.id().hex());
                o.put("uuid", repo.uuid().value());
                reporter.object(o);
            } else {
                reporter.human(identity.id().toString());
            }
            return ExitCode.OK;
        }

        @Override
        boolean writes() {
            return false;
        }
    }

    /** {@code peer add NAME HOST:PORT DEVICE-ID}: pins the peer and adds its git remote. */
    @Command(name = "add", description = {"Pin the peer with DEVICE-ID listening at HOST:PORT and add it as the git "
        + "remote NAME.", "Connects once to learn its uuid when it is reachable (and lets us in)."})
    static final class Add extends RepoCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The peer's name (and its git remote's).")
        String name;

        @Parameters(index = "1", paramLabel = "HOST:PORT", description = "Where it listens (assistant.listen there).")
        String address;

        @Parameters(index = "2", paramLabel = "DEVICE-ID", description = "Its id, as 'annex-sync peer id' prints it "
                + "there (case, spaces and dashes do not matter).")
        String device;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to try to reach it (default 10).")
        int timeoutSeconds = 10;

        @Option(names = "--no-connect", description = "Do not try to reach the peer now.")
        boolean noConnect;

        @Override
        int run(AnnexRepo repo, Reporter reporter) throws RepoException {
            if (!PeerPin.validName(name)) {
                throw new IllegalArgumentException("bad peer name '" + name + "': use letters, digits, '.', '_' and "
                        + "'-', starting with a letter or digit");
            }
            PeerAddress where = PeerAddress.parse(address);
            if (where.port() == 0) {
                throw new IllegalArgumentException("not a port to connect to: 0 in '" + address + "' (1 to 65535)");
            }
            DeviceId id = DeviceId.parse(device);
            DeviceIdentity identity = identity(repo);
            if (id.equals(identity.id())) {
                throw new IllegalArgumentException(id + " is this device's own id: pin the id the other device's "
                        + "'annex-sync peer id' prints");
            }
            PeerPins pins = new PeerPins(repo.gitDir());
            StoredConfig config = repo.git().getConfig();
            try {
                if (pins.find(name).isPresent()) {
                    throw new RepoException("a peer called " + name + " is already pinned (annex-sync peer remove "
                            + name + " first)");
                }
                if (config.getSubsections("remote").contains(name)) {
                    throw new RepoException("a remote called " + name + " already exists");
                }
                Optional<PeerPin> same = pins.findById(id);
                if (same.isPresent()) {
                    throw new RepoException("device " + id + " is already pinned as " + same.get().name());
                }
                PeerPin pin = new PeerPin(name, where, id, Optional.empty());
                Reach reach = noConnect ? new Reach(Optional.empty(), "not tried (--no-connect)", true)
                        : reach(identity, pin, Duration.ofSeconds(Math.max(1, timeoutSeconds)));
                if (!reach.keep()) {
                    reporter.warn("peer add " + name + ": " + reach.note() + "; nothing pinned");
                    return ExitCode.FAILED;
                }
                if (reach.uuid().isPresent()) {
                    pin = pin.withUuid(reach.uuid().get());
                }
                pins.save(pin);
                addRemote(config, pin);
                report(reporter, pin, reach.note());
                return ExitCode.OK;
            } catch (IOException e) {
                throw new RepoException("cannot pin " + name + ": " + e.getMessage(), e);
            }
        }

        private static void report(Reporter reporter, PeerPin pin, String note) {
            if (reporter.json()) {
                Map<String, Object> o = json(pin);
                o.put("note", note);
                reporter.object(o);
            } else {
                reporter.human("peer add " + pin.name() + " ok (device " + pin.id().shortForm() + ", uuid "
                        + pin.uuid().map(Uuid::value).orElse("not known yet") + "): " + note);
            }
        }
    }

    /** What one connection attempt learned: the peer's uuid, a note for people, and whether to pin it. */
    private record Reach(Optional<Uuid> uuid, String note, boolean keep) {}

    private static Reach reach(DeviceIdentity identity, PeerPin pin, Duration timeout) throws InterruptedIOException {
        try (PeerConnector connector = new PeerConnector(identity, 1);
                PeerConnection c = connector.connect(pin.address(), pin.id(), timeout)) {
            return new Reach(c.peerUuid(), "reached it at " + pin.address(), true);
        } catch (PeerConnectException e) {
            return switch (e.reason()) {
                case WRONG_CERTIFICATE -> new Reach(Optional.empty(), e.getMessage(), false);
                case REFUSED_BY_PEER -> new Reach(Optional.empty(), "it does not let this device in yet; pin this "
                        + "device there: annex-sync peer add NAME HOST:PORT " + identity.id(), true);
                default -> new Reach(Optional.empty(), "not reached now (" + e.getMessage() + "); its uuid is "
                        + "learned at the first connection", true);
            };
        }
    }

    private static void addRemote(StoredConfig config, PeerPin pin) throws IOException {
        config.setString("remote", pin.name(), "url", URL_PREFIX + pin.id());
        config.setString("remote", pin.name(), "fetch", "+refs/heads/*:refs/remotes/" + pin.name() + "/*");
        pin.uuid().ifPresent(u -> config.setString("remote", pin.name(), "annex-uuid", u.value()));
        config.save();
    }

    /** {@code peer list}: the pinned peers. */
    @Command(name = "list", description = "List the pinned peers: name, address, device id, uuid.")
    static final class ListPeers extends RepoCommand {
        @Override
        int run(AnnexRepo repo, Reporter reporter) throws RepoException {
            List<PeerPin> all;
            try {
                all = new PeerPins(repo.gitDir()).list();
            } catch (IOException e) {
                throw new RepoException(e.getMessage(), e);
            }
            for (PeerPin p : all) {
                if (reporter.json()) {
                    reporter.object(json(p));
                } else {
                    reporter.human(p.name() + "\t" + p.address() + "\t" + p.id() + "\t"
                            + p.uuid().map(Uuid::value).orElse("-"));
                }
            }
            return ExitCode.OK;
        }

        @Override
        boolean writes() {
            return false;
        }
    }

    /** {@code peer remove NAME}: unpins the peer and removes its git remote. */
    @Command(name = "remove", description = "Unpin the peer NAME (it is no longer let in) and remove its git remote.")
    static final class Remove extends RepoCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The peer's name.")
        String name;

        @Override
        int run(AnnexRepo repo, Reporter reporter) throws RepoException {
            try {
                boolean pinned = new PeerPins(repo.gitDir()).remove(name);
                StoredConfig config = repo.git().getConfig();
                String url = config.getString("remote", name, "url");
                boolean remote = url != null && url.startsWith(URL_PREFIX);
                if (remote) {
                    config.unsetSection("remote", name);
                    config.save();
                }
                if (!pinned && !remote) {
                    reporter.warn("peer remove " + name + ": no peer of that name is pinned");
                    return ExitCode.FAILED;
                }
                reporter.human("peer remove " + name + " ok");
                return ExitCode.OK;
            } catch (IOException e) {
                throw new RepoException("cannot remove peer " + name + ": " + e.getMessage(), e);
            }
        }
    }

    /** This repository's device identity, made if it has none. */
    static DeviceIdentity identity(AnnexRepo repo) throws RepoException {
        try {
            return DeviceIdentity.loadOrCreate(repo.gitDir());
        } catch (IOException e) {
            throw new RepoException(e.getMessage(), e);
        }
    }

    private static Map<String, Object> json(PeerPin p) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("peer", p.name());
        o.put("address", p.address().toString());
        o.put("device-id", p.id().toString());
        o.put("uuid", p.uuid().map(Uuid::value).orElse(null));
        return o;
    }
}
