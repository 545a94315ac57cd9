package io.annexsync.gitsync.remote;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.URIish;

/** Reads and writes the git-annex settings of a repository's git remotes in its git config. */
public final class Remotes {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private Remotes() {}

    /**
     * Adds a remote on a local path, as {@code git remote add -f} followed by git-annex's uuid probe: the remote must
     * be a git repository; its annex uuid (if it has one) is cached as {@code remote.NAME.annex-uuid} and its branches
     * (the git-annex branch included) are fetched.
     */
    public static RemoteConfig add(Repository git, String name, Path path) throws RepoException {
        if (!NAME.matcher(name).matches()) {
            throw new RepoException("bad remote name '" + name + "': use letters, digits, '.', '_' and '-'");
        }
        if (git.getConfig().getSubsections("remote").contains(name)) {
            throw new RepoException("a remote called " + name + " already exists");
        }
        Optional<String> text = probe(path).orElseThrow(() -> new RepoException(path + " is not a git repository"));
        Optional<Uuid> uuid = text.flatMap(Uuid::parse);
        if (text.isPresent() && uuid.isEmpty()) {
            throw new RepoException(path + " has annex.uuid '" + text.get() + "', which is not a repository uuid;"
                    + " it cannot be a remote");
        }
        try (Git g = new Git(git)) {
            g.remoteAdd().setName(name).setUri(new URIish(path.toString())).call();
            if (uuid.isPresent()) {
                git.getConfig().setString("remote", name, "annex-uuid", uuid.get().value());
                git.getConfig().save();
            }
            g.fetch().setRemote(name).call();
        } catch (GitAPIException | URISyntaxException | IOException e) {
            throw new RepoException("cannot add remote " + name + " at " + path + ": " + e.getMessage(), e);
        }
        return find(git.getConfig(), name).orElseThrow();
    }

    /** Caches the annex uuid of every path remote that has none recorded yet, as git-annex does at init. */
    public static void probeUuids(Repository git) throws IOException {
        StoredConfig config = git.getConfig();
        boolean changed = false;
        for (RemoteConfig r : list(config)) {
            Optional<Path> path = r.localPath(git.isBare() ? git.getDirectory().toPath() : git.getWorkTree().toPath());
            if (r.uuid().isEmpty() && path.isPresent()) {
                Optional<Uuid> uuid = probe(path.get()).flatMap(u -> u).flatMap(Uuid::parse);
                if (uuid.isPresent()) {
                    config.setString("remote", r.name(), "annex-uuid", uuid.get().value());
                    changed = true;
                }
            }
        }
        if (changed) {
            config.save();
        }
    }

    /** Empty if {@code path} is not a git repository; otherwise its {@code annex.uuid} as written, if it has one. */
    private static Optional<Optional<String>> probe(Path path) {
        if (!Files.isDirectory(path)) {
            return Optional.empty();
        }
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(path.toFile());
        if (builder.getGitDir() == null) {
            return Optional.empty();
        }
        try (Repository other = builder.build()) {
            String uuid = other.getConfig().getString("annex", null, "uuid");
            return Optional.of(uuid == null || uuid.isBlank() ? Optional.empty() : Optional.of(uuid.trim()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Every configured remote with a URL, cheapest first, then by name. */
    public static List<RemoteConfig> list(StoredConfig config) {
        return config.getSubsections("remote").stream()
                .filter(name -> config.getString("remote", name, "url") != null)
                .map(name -> read(config, name))
                .sorted(Comparator.comparingDouble(RemoteConfig::cost).thenComparing(RemoteConfig::name))
                .toList();
    }

    /** The remote called {@code name}, if it is configured. */
    public static Optional<RemoteConfig> find(StoredConfig config, String name) {
        return list(config).stream().filter(r -> r.name().equals(name)).findFirst();
    }

    private static RemoteConfig read(StoredConfig config, String name) {
        String url = config.getString("remote", name, "url");
        String uuid = config.getString("remote", name, "annex-uuid");
        String cost = config.getString("remote", name, "annex-cost");
        double defaultCost = isLocal(url) ? RemoteConfig.LOCAL_COST : RemoteConfig.NETWORK_COST;
        return new RemoteConfig(
                name,
                url,
                uuid == null ? Optional.empty() : Uuid.parse(uuid.trim()),
                parseCost(cost).orElse(defaultCost),
                config.getBoolean("remote", name, "annex-ignore", false));
    }

    private static boolean isLocal(String url) {
        return new RemoteConfig("x", url, Optional.empty(), 0, false)
                .localPath(Path.of("/"))
                .isPresent();
    }

    private static Optional<Double> parseCost(String cost) {
        if (cost == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Double.parseDouble(cost.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
