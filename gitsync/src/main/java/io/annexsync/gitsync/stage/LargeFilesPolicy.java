package io.annexsync.gitsync.stage;

import io.annexsync.gitsync.RepoException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.attributes.Attribute;
import org.eclipse.jgit.attributes.AttributesNode;
import org.eclipse.jgit.attributes.AttributesRule;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;

/**
 * Decides which files go to the annex, with git-annex's precedence (FORMAT.md §4.4): git config
 * {@code annex.largefiles} over the path's {@code annex.largefiles} attribute ({@code .git/info/attributes}, then
 * {@code .gitattributes} files from the deepest directory up, last matching line winning) over the repository-wide
 * value from the git-annex branch's {@code config.log}. With none set every file is large. Dotfiles and files under
 * dot-directories go to git whatever the expression says, unless {@code annex.dotfiles=true}.
 *
 * <p>Thread-safe: parsed {@code .gitattributes} files and expressions are cached in concurrent maps; a policy
 * reflects the files as they were when first read, so make one per add.
 */
public final class LargeFilesPolicy {
    private static final String ATTRIBUTE = "annex.largefiles";

    private final Path workTree;
    private final Optional<LargeFiles> fromGitConfig;
    private final Optional<LargeFiles> fromConfigLog;
    private final boolean dotfiles;
    private final Optional<AttributesNode> infoNode;
    private final Optional<AttributesNode> globalNode;
    private final Map<String, Optional<AttributesNode>> dirNodes = new ConcurrentHashMap<>();
    private final Map<String, LargeFiles> parsed = new ConcurrentHashMap<>();
    private final Optional<Boolean> forced;

    private LargeFilesPolicy(Repository repo, Optional<String> configLog, Optional<Boolean> forced)
            throws RepoException, IOException {
        this.forced = forced;
        this.workTree = repo.getWorkTree().toPath();
        String configured = repo.getConfig().getString("annex", null, "largefiles");
        this.fromGitConfig = parseOptional(Optional.ofNullable(configured));
        this.fromConfigLog = parseOptional(configLog);
        this.dotfiles = repo.getConfig().getBoolean("annex", "dotfiles", false);
        var provider = repo.createAttributesNodeProvider();
        this.infoNode = Optional.ofNullable(provider.getInfoAttributesNode());
        this.globalNode = Optional.ofNullable(provider.getGlobalAttributesNode());
    }

    /**
     * The policy of a non-bare repository.
     *
     * @param configLog the {@code annex.largefiles} value from the git-annex branch's {@code config.log}, if any
     */
    public static LargeFilesPolicy load(Repository repo, Optional<String> configLog) throws RepoException {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(configLog, "configLog");
        try {
            return new LargeFilesPolicy(repo, configLog, Optional.empty());
        } catch (IOException e) {
            throw new RepoException("cannot read attributes of " + repo.getDirectory(), e);
        }
    }

    /**
     * A policy that answers {@code large} for every file, dotfiles included, as git-annex's {@code --force-large}
     * and {@code --force-small} do.
     */
    public static LargeFilesPolicy forced(Repository repo, boolean large) throws RepoException {
        Objects.requireNonNull(repo, "repo");
        try {
            return new LargeFilesPolicy(repo, Optional.empty(), Optional.of(large));
        } catch (IOException e) {
            throw new RepoException("cannot read attributes of " + repo.getDirectory(), e);
        }
    }

    /** Whether the file at {@code path} (relative, '/'-separated) of {@code size} bytes goes to the annex. */
    public boolean isLarge(String path, long size) throws RepoException {
        if (forced.isPresent()) {
            return forced.get();
        }
        if (!dotfiles && isDotPath(path)) {
            return false;
        }
        try {
            Optional<LargeFiles> expr = fromGitConfig.or(() -> fromAttributes(path)).or(() -> fromConfigLog);
            return expr.orElse(LargeFiles.ANYTHING).matches(path, size);
        } catch (UncheckedIOException e) {
            throw new RepoException("cannot read .gitattributes for " + path, e.getCause());
        } catch (IllegalArgumentException e) {
            throw new RepoException("bad annex.largefiles attribute for " + path + ": " + e.getMessage(), e);
        }
    }

    /** Whether any component of {@code path} starts with a dot. */
    static boolean isDotPath(String path) {
        return path.startsWith(".") || path.contains("/.");
    }

    private Optional<LargeFiles> fromAttributes(String path) {
        Optional<String> value = attribute(path);
        return value.map(v -> parsed.computeIfAbsent(v, LargeFilesPolicy::parseUnchecked));
    }

    /** git's order: {@code .git/info/attributes}, then the deepest {@code .gitattributes} up, then the global file. */
    private Optional<String> attribute(String path) {
        Optional<String> info = infoNode.flatMap(n -> valueIn(n, path));
        if (info.isPresent()) {
            return info;
        }
        for (String dir = parentOf(path); dir != null; dir = dir.isEmpty() ? null : parentOf(dir)) {
            String relative = dir.isEmpty() ? path : path.substring(dir.length() + 1);
            Optional<String> v = dirNode(dir).flatMap(n -> valueIn(n, relative));
            if (v.isPresent()) {
                return v;
            }
        }
        return globalNode.flatMap(n -> valueIn(n, path));
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** The last rule in {@code node} that matches {@code path} and says something about the attribute. */
    private static Optional<String> valueIn(AttributesNode node, String path) {
        List<AttributesRule> rules = node.getRules();
        for (int i = rules.size() - 1; i >= 0; i--) {
            AttributesRule rule = rules.get(i);
            if (rule.isMatch(path, false)) {
                for (Attribute a : rule.getAttributes()) {
                    if (a.getKey().equals(ATTRIBUTE) && a.getState() == Attribute.State.CUSTOM) {
                        return Optional.of(a.getValue());
                    }
                }
            }
        }
        return Optional.empty();
    }

    private Optional<AttributesNode> dirNode(String dir) {
        return dirNodes.computeIfAbsent(dir, d -> readNode(workTree.resolve(d).resolve(Constants.DOT_GIT_ATTRIBUTES)));
    }

    private static Optional<AttributesNode> readNode(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            AttributesNode node = new AttributesNode();
            node.parse(in);
            return Optional.of(node);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<LargeFiles> parseOptional(Optional<String> text) throws RepoException {
        return text.isPresent() ? Optional.of(LargeFiles.parse(text.get())) : Optional.empty();
    }

    private static LargeFiles parseUnchecked(String text) {
        try {
            return LargeFiles.parse(text);
        } catch (RepoException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
