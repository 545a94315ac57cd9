package io.annexsync.gitsync.remote.ssh;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A remote reached over ssh, parsed from a git remote URL the way git reads one: {@code ssh://[user@]host[:port]/path}
 * (also {@code git+ssh://} and {@code ssh+git://}; {@code ssh://host/~/path} is relative to the home directory) or
 * scp-style {@code [user@]host:path} ({@code [host:port]:path} and {@code [v6-address]:path} bracketed). Not ssh,
 * as for git: a URL with another scheme, a remote helper's {@code transport::address}, a path with a slash before
 * its first colon ({@code ./a:b}, {@code /mnt/x:y}) and a Windows drive ({@code C:\dir}, {@code C:/dir}).
 *
 * @param user the login name, when the URL names one (otherwise ssh's config or the local user)
 * @param host the host name or address (an IPv6 address without brackets)
 * @param port the port, when the URL names one
 * @param path the repository's path on the far side, as git-annex-shell takes it: absolute ({@code /srv/annex}),
 *     home-relative ({@code ~/annex}, {@code ~alice/annex}) or relative to the home directory ({@code annex})
 */
public record SshUrl(Optional<String> user, String host, OptionalInt port, String path) {
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$", Pattern.DOTALL);
    private static final Pattern HELPER = Pattern.compile("^[A-Za-z0-9+.-]+::.*", Pattern.DOTALL);
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:[\\\\/].*", Pattern.DOTALL);
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?");
    private static final Pattern USER = Pattern.compile("[^\\s:/\\[\\]]+");

    public SshUrl {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(path, "path");
        user.ifPresent(u -> check(USER.matcher(u).matches(), "bad user name '" + u + "'"));
        check(HOST.matcher(host).matches() && !host.startsWith("-"), "bad host name '" + host + "'");
        port.ifPresent(p -> check(p > 0 && p < 65536, "port " + p + " is out of range 1-65535"));
        check(!path.isEmpty(), "no repository path");
        check(path.chars().noneMatch(c -> c == 0 || c == '\n' || c == '\r'), "control character in the path");
    }

    /** Whether git would reach {@code url} over ssh (it may still be malformed: {@link #parse} says). */
    public static boolean isSsh(String url) {
        Objects.requireNonNull(url, "url");
        Matcher m = SCHEME.matcher(url);
        if (m.matches()) {
            return sshScheme(m.group(1));
        }
        if (HELPER.matcher(url).matches() || DRIVE.matcher(url).matches()) {
            return false;
        }
        int colon = url.indexOf(':');
        int slash = url.indexOf('/');
        return colon >= 0 && (slash < 0 || slash > colon);
    }

    /**
     * Parses an ssh remote URL.
     *
     * @throws IllegalArgumentException naming the URL and what is wrong with it, when it is not an ssh URL or is
     *     malformed (no host, no path, a bad port, a host starting with {@code -})
     */
    public static SshUrl parse(String url) {
        Objects.requireNonNull(url, "url");
        if (!isSsh(url)) {
            throw new IllegalArgumentException("'" + url + "' is not an ssh URL: use ssh://[user@]host[:port]/path"
                    + " or [user@]host:path");
        }
        try {
            Matcher m = SCHEME.matcher(url);
            return m.matches() ? fromUrl(m.group(2)) : fromScp(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad ssh URL '" + url + "': " + e.getMessage(), e);
        }
    }

    /** {@code ssh://[user@]host[:port]/path} again, a form git, git-annex and JGit all read the same way. */
    public String toUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        String p = path.startsWith("/") ? path : "/" + path;
        if (!path.startsWith("/") && !path.startsWith("~")) {
            p = "/~/" + path;
        }
        return "ssh://" + user.map(u -> u + "@").orElse("") + h + port.stream().mapToObj(n -> ":" + n)
                .findFirst().orElse("") + p;
    }

    /** {@code user@host:port} or less, for messages. */
    public String where() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return user.map(u -> u + "@").orElse("") + h + port.stream().mapToObj(n -> ":" + n).findFirst().orElse("");
    }

    private static boolean sshScheme(String scheme) {
        String s = scheme.toLowerCase(java.util.Locale.ROOT);
        return s.equals("ssh") || s.equals("git+ssh") || s.equals("ssh+git");
    }

    private static SshUrl fromUrl(String rest) {
        int slash = rest.indexOf('/');
        check(slash >= 0, "no repository path after the host");
        String authority = rest.substring(0, slash);
        String path = rest.substring(slash);
        if (path.startsWith("/~")) {
            path = path.substring(1);
        }
        check(!path.equals("/"), "no repository path after the host");
        int at = authority.lastIndexOf('@');
        Optional<String> user = userOf(authority, at);
        String hostPort = authority.substring(at + 1);
        String host;
        OptionalInt port = OptionalInt.empty();
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            check(close > 0, "unclosed '[' in the host");
            host = hostPort.substring(1, close);
            String after = hostPort.substring(close + 1);
            check(after.isEmpty() || after.startsWith(":"), "junk after ']' in the host");
            port = portOf(after.isEmpty() ? "" : after.substring(1));
        } else {
            int colon = hostPort.indexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            port = colon < 0 ? OptionalInt.empty() : portOf(hostPort.substring(colon + 1));
        }
        check(!host.isEmpty(), "no host");
        return new SshUrl(user, host, port, path);
    }

    private static SshUrl fromScp(String url) {
        String hostPart;
        String path;
        OptionalInt port = OptionalInt.empty();
        Optional<String> user;
        if (url.startsWith("[")) {
            int close = url.indexOf(']');
            check(close > 0 && url.startsWith(":", close + 1), "expected [host]:path");
            String inside = url.substring(1, close);
            path = url.substring(close + 2);
            int at = inside.lastIndexOf('@');
            user = userOf(inside, at);
            hostPart = inside.substring(at + 1);
            int colon = hostPart.indexOf(':');
            if (colon >= 0 && colon == hostPart.lastIndexOf(':')) { // [host:port]; more colons: an IPv6 address
                port = portOf(hostPart.substring(colon + 1));
                hostPart = hostPart.substring(0, colon);
            }
        } else {
            int colon = url.indexOf(':');
            String prefix = url.substring(0, colon);
            path = url.substring(colon + 1);
            int at = prefix.lastIndexOf('@');
            user = userOf(prefix, at);
            hostPart = prefix.substring(at + 1);
        }
        check(!hostPart.isEmpty(), "no host before ':'");
        check(!path.isEmpty(), "no repository path after ':'");
        return new SshUrl(user, hostPart, port, path);
    }

    private static Optional<String> userOf(String authority, int at) {
        if (at < 0) {
            return Optional.empty();
        }
        check(at > 0, "empty user name before '@'");
        return Optional.of(authority.substring(0, at));
    }

    private static OptionalInt portOf(String text) {
        if (text.isEmpty()) {
            return OptionalInt.empty(); // ssh://host:/path, as git reads it: the default port
        }
        check(text.chars().allMatch(c -> c >= '0' && c <= '9') && text.length() <= 5, "bad port '" + text + "'");
        return OptionalInt.of(Integer.parseInt(text));
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }
}
