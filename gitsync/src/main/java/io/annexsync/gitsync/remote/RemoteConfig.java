package io.annexsync.gitsync.remote;

import io.annexsync.gitsync.Uuid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One git remote with the per-remote settings git-annex keeps in {@code .git/config}.
 *
 * @param name the remote's name, for example {@code origin}
 * @param url the {@code remote.NAME.url} text
 * @param uuid the cached {@code remote.NAME.annex-uuid}, once the remote was probed
 * @param cost {@code remote.NAME.annex-cost}, or git-annex's default for the kind of remote
 * @param ignored {@code remote.NAME.annex-ignore}: never used for content
 */
public record RemoteConfig(String name, String url, Optional<Uuid> uuid, double cost, boolean ignored) {
    /** git-annex's cost for a remote on a local path ({@code cheapRemoteCost}). */
    public static final double LOCAL_COST = 100;

    /** git-annex's cost for a remote reached over the network ({@code expensiveRemoteCost}). */
    public static final double NETWORK_COST = 200;

    public RemoteConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(uuid, "uuid");
    }

    /** The local folder this remote lives in, if its URL is a path or a {@code file://} URL. */
    public Optional<Path> localPath(Path relativeTo) {
        String u = url;
        if (u.startsWith("file://")) {
            u = u.substring("file://".length());
        } else if (u.contains("://") || u.matches("^[^/]+:.*")) {
            return Optional.empty();
        }
        return Optional.of(relativeTo.resolve(u).normalize());
    }

    /**
     * Whether this remote can be reached now, its path taken from {@code relativeTo} (the work tree, or the git
     * directory of a bare repository); see {@link Reachability}.
     */
    public Reachability reachability(Path relativeTo) {
        Optional<Path> path = localPath(relativeTo);
        if (path.isEmpty()) {
            return new Reachability.Unknown();
        }
        Path p = path.get();
        return Files.isDirectory(p) ? new Reachability.Reachable(p)
                : new Reachability.Unreachable(p, "remote " + name + " is not reachable: " + p + " does not exist"
                        + " (is the drive mounted?)");
    }
}
