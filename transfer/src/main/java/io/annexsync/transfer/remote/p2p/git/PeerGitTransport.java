package io.annexsync.transfer.remote.p2p.git;

import io.annexsync.transfer.remote.p2p.tls.DeviceId;
import java.util.Optional;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportProtocol;
import org.eclipse.jgit.transport.URIish;

/**
 * JGit's protocol for {@code p2p-annex::annexsync:DEVICE-ID} remotes (git-annex's generic P2P URL form, as
 * {@code annex-sync peer add} writes it): a fetch or push from a repository connects to the peer that repository
 * pinned with that device id, as that repository's device. {@link #register()} once, where annex-sync starts (CLI
 * and daemon); the identity and pins are read from the fetching repository each time, so one registration serves
 * every repository in the process.
 *
 * <p>{@code new URIish("p2p-annex::annexsync:ID")} parses scp-style (host {@code p2p-annex}), so JGit's ssh
 * transport would claim it: registering puts this protocol first. JGit keeps only a weak reference to a registered
 * protocol; the strong one is {@link #INSTANCE}. Thread-safe.
 */
public final class PeerGitTransport extends TransportProtocol {
    /** What every such remote URL starts with. */
    public static final String URL_PREFIX = "p2p-annex::annexsync:";

    /** The registered protocol, held here because JGit only holds it weakly. */
    static final PeerGitTransport INSTANCE = new PeerGitTransport();

    private static boolean registered;

    private PeerGitTransport() {
    }

    /** Makes JGit reach {@code p2p-annex::annexsync:} remotes through peers; idempotent. */
    public static synchronized void register() {
        if (!registered) {
            Transport.register(INSTANCE);
            registered = true;
        }
    }

    /** The device id text of a {@code p2p-annex::annexsync:} URL, if {@code url} is one. */
    public static Optional<String> deviceIdText(String url) {
        if (url != null && url.startsWith(URL_PREFIX)) {
            return Optional.of(url.substring(URL_PREFIX.length()));
        }
        return Optional.empty();
    }

    /** The device id text of {@code uri}, however JGit parsed the URL. */
    static Optional<String> deviceIdText(URIish uri) {
        Optional<String> whole = deviceIdText(uri.toString());
        if (whole.isPresent()) {
            return whole;
        }
        String path = uri.getPath();
        if ("p2p-annex".equals(uri.getHost()) && path != null) {
            String p = path.startsWith(":") ? path.substring(1) : path;
            if (p.startsWith("annexsync:")) {
                return Optional.of(p.substring("annexsync:".length()));
            }
        }
        return Optional.empty();
    }

    @Override
    public String getName() {
        return "annex-sync peer (p2p-annex::annexsync:)";
    }

    @Override
    public boolean canHandle(URIish uri, Repository local, String remoteName) {
        return deviceIdText(uri).isPresent();
    }

    @Override
    public Transport open(URIish uri, Repository local, String remoteName)
            throws TransportException {
        String text = deviceIdText(uri).orElseThrow(() -> new TransportException(uri,
                "not a p2p-annex::annexsync: URL"));
        if (local == null) {
            throw new TransportException(uri, "a peer is reached from a repository only");
        }
        DeviceId id;
        try {
            id = DeviceId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TransportException(uri, "'" + text + "' is not a device id: "
                    + e.getMessage());
        }
        return new PeerTransport(local, uri, remoteName, id);
    }
}
