package io.annexsync.gitsync.remote.ssh;

/**
 * An ssh server's host key was refused: it is not in {@code known_hosts}, or another key is listed for the host
 * (which may mean someone is in the middle). Thrown from inside the ssh handshake; the failed fetch, push or
 * session carries it as a cause, and its message says what to do.
 */
public final class HostKeyRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final boolean changed;

    HostKeyRefusedException(String host, boolean changed, String key, String knownHosts) {
        super(message(host, changed, key, knownHosts));
        this.host = host;
        this.changed = changed;
    }

    /** The host as it was connected to ({@code host} or {@code [host]:port}). */
    public String host() {
        return host;
    }

    /** Whether {@code known_hosts} lists another key for the host (rather than none). */
    public boolean changed() {
        return changed;
    }

    private static String message(String host, boolean changed, String key, String knownHosts) {
        if (changed) {
            return "the host key of " + host + " has CHANGED (it now offers " + key + ", not the key listed in "
                    + knownHosts + "): someone may be intercepting the connection, or the host was reinstalled;"
                    + " check with its owner, then replace its line in known_hosts (ssh-keygen -R '" + host + "')";
        }
        return "the host key of " + host + " is unknown (it offers " + key + ", and " + knownHosts + " lists no key"
                + " for it): check that fingerprint with the host's owner, then add it, for example by connecting"
                + " once with '" + sshCommand(host) + "' and answering yes";
    }

    /** {@code ssh host}, or {@code ssh -p PORT host} for {@code [host]:port}. */
    private static String sshCommand(String host) {
        int close = host.indexOf("]:");
        if (host.startsWith("[") && close > 0) {
            return "ssh -p " + host.substring(close + 2) + " " + host.substring(1, close);
        }
        return "ssh " + host;
    }
}
