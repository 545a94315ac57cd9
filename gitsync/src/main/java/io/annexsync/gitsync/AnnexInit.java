package io.annexsync.gitsync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;

/**
 * Writes what {@code git annex init} writes outside the git-annex branch (FORMAT.md §1.1-1.3): the annex config, the
 * filter attribute, the hooks and the directories under {@code .git/annex}. Idempotent: an existing uuid, attribute
 * line or hook is kept.
 */
final class AnnexInit {
    static final String VERSION = "10";

    private static final String HOOK_HEADER = "#!/bin/sh\n# automatically configured by git-annex\n";

    /** git-annex's hooks, guarded so that a repository used without git-annex installed still commits. */
    private static final Map<String, String> HOOKS = Map.of(
            "pre-commit", guarded("git annex pre-commit ."),
            "post-checkout", guarded("git annex smudge --update"),
            "post-merge", guarded("git annex smudge --update"),
            "post-receive", "if git annex post-receive --help >/dev/null 2>&1; then git annex post-receive; fi\n");

    private AnnexInit() {}

    /**
     * Sets annex.uuid (keeping an existing one), annex.version, the filter and {@code core.bare}; says which uuid and
     * if it is new.
     */
    static InitResult.UuidChoice configure(Repository git) throws IOException {
        StoredConfig config = git.getConfig();
        if (ownsItsWorkTree(git)) {
            config.setBoolean("core", null, "bare", false);
        }
        Optional<Uuid> existing = Optional.ofNullable(config.getString("annex", null, "uuid"))
                .filter(s -> !s.isBlank())
                .map(s -> new Uuid(s.trim()));
        Uuid uuid = existing.orElseGet(Uuid::random);
        config.setString("annex", null, "uuid", uuid.value());
        config.setString("annex", null, "version", VERSION);
        config.setString("filter", "annex", "smudge", "git-annex smudge -- %f");
        config.setString("filter", "annex", "clean", "git-annex smudge --clean -- %f");
        config.setString("filter", "annex", "process", "git-annex filter-process");
        config.save();
        return new InitResult.UuidChoice(uuid, existing.isPresent());
    }

    /**
     * Writes {@code core.bare = false}, as {@code git init} does (FORMAT.md §1.1), when a repository with a work tree
     * lacks it (JGit's init leaves it out, and so did annex-sync before): without it C git's receive-pack takes the
     * repository for a bare one and lets a push (real {@code git annex sync} pushes {@code master}) move the
     * checked-out branch under the work tree.
     *
     * @return whether it was written
     */
    static boolean markNotBare(Repository git) throws IOException {
        StoredConfig config = git.getConfig();
        if (!ownsItsWorkTree(git) || config.getString("core", null, "bare") != null) {
            return false;
        }
        config.setBoolean("core", null, "bare", false);
        config.save();
        return true;
    }

    /**
     * Whether the repository has a work tree of its own: not bare, and not a linked worktree (a {@code commondir}
     * file: its config is shared with a main repository, which may well be bare).
     */
    private static boolean ownsItsWorkTree(Repository git) {
        return !git.isBare() && !Files.exists(git.getDirectory().toPath().resolve("commondir"));
    }

    /** The attribute line, hooks and {@code .git/annex} layout, as git-annex makes them. */
    static void writeFiles(Path gitDir) throws IOException {
        Path attributes = gitDir.resolve("info/attributes");
        Files.createDirectories(attributes.getParent());
        String current = Files.exists(attributes) ? Files.readString(attributes, StandardCharsets.UTF_8) : "";
        if (!current.lines().anyMatch(l -> l.trim().equals("* filter=annex"))) {
            Files.writeString(attributes, "\n* filter=annex\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        Path hooks = gitDir.resolve("hooks");
        Files.createDirectories(hooks);
        for (var hook : HOOKS.entrySet()) {
            Path file = hooks.resolve(hook.getKey());
            if (!Files.exists(file)) {
                Files.writeString(file, HOOK_HEADER + hook.getValue(), StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Path annex = gitDir.resolve("annex");
        for (String dir : new String[] {"journal", "othertmp", "tmp", "objects"}) {
            Files.createDirectories(annex.resolve(dir));
        }
        touch(annex.resolve("journal.lck"));
        touch(annex.resolve("othertmp.lck"));
        writeSentinal(annex);
        Files.createDirectories(gitDir.resolve("annex-sync"));
    }

    /** The v10 sentinal file and the inode cache of it that git-annex compares against. */
    private static void writeSentinal(Path annex) throws IOException {
        Path sentinal = annex.resolve("sentinal");
        if (Files.exists(sentinal)) {
            return;
        }
        touch(sentinal);
        Object inode = Files.getAttribute(sentinal, "unix:ino");
        FileTime mtime = Files.getLastModifiedTime(sentinal);
        long nanos = mtime.to(TimeUnit.NANOSECONDS);
        String cache = String.format("%s %d %d %09d", inode, Files.size(sentinal), Math.floorDiv(nanos, 1_000_000_000L),
                Math.floorMod(nanos, 1_000_000_000L));
        Files.writeString(annex.resolve("sentinal.cache"), cache, StandardCharsets.UTF_8);
    }

    private static void touch(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
    }

    private static String guarded(String command) {
        return "if command -v git-annex >/dev/null 2>&1; then " + command + "; fi\n";
    }
}
