package io.annexsync.transfer.remote.p2p.tls;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a peer listens: a host name or address and a TCP port, written {@code HOST:PORT} ({@code [v6addr]:PORT} for an
 * IPv6 address).
 *
 * @param host a host name, an IPv4 address or an IPv6 address (without brackets)
 * @param port 1 to 65535
 */
public record PeerAddress(String host, int port) {
    /** The port annex-sync listens on unless told otherwise ({@code assistant.listen}). */
    public static final int DEFAULT_PORT = 9420;

    public PeerAddress {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '[' || c == ']')) {
            throw new IllegalArgumentException("not a host: '" + host + "'");
        }
        if (port < 0 || port > 65535) { // 0 only to listen on: any free port (a pin refuses it)
            throw new IllegalArgumentException("not a port: " + port + " (1 to 65535, or 0 to listen on any)");
        }
    }

    /**
     * Reads {@code HOST:PORT} or {@code [V6]:PORT}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static PeerAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("not HOST:PORT: '" + text + "'");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("not HOST:PORT: '" + text + "' (write an IPv6 address as [addr]:port)");
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not HOST:PORT: '" + text + "' (the port is not a number)");
        }
        return new PeerAddress(host, port);
    }

    /** An unresolved socket address (resolved when connecting). */
    public InetSocketAddress socketAddress() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
