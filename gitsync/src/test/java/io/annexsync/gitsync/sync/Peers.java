package io.annexsync.gitsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.stage.AddOptions;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.URIish;

/** Repositories for merge tests: an origin made by annex-sync, clones of it, and the steps of a sync between them. */
final class Peers {
    static final AddOptions LOCKED = new AddOptions(true, AddOptions.Force.LARGE, 1);
    static final AddOptions UNLOCKED = new AddOptions(false, AddOptions.Force.LARGE, 1);
    static final AddOptions GIT = new AddOptions(false, AddOptions.Force.SMALL, 1);

    private Peers() {}

    /** A fresh annex-sync repository at {@code dir} on branch main. */
    static AnnexRepo init(Path dir) throws Exception {
        Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call().close();
        AnnexRepo.init(dir, Optional.of(dir.getFileName().toString()), "test");
        AnnexRepo repo = AnnexRepo.open(dir);
        StoredConfig config = repo.git().getConfig();
        config.setString("user", null, "name", GitAnnex.NAME);
        config.setString("user", null, "email", GitAnnex.EMAIL);
        config.save();
        return repo;
    }

    /**
     * A clone of {@code origin} at {@code dir}: a new annex-sync repository that fetches origin and fast-forwards its
     * unborn branch with {@link Merger} (so no filter runs), with origin's content in its store.
     */
    static AnnexRepo cloneOf(AnnexRepo origin, Path dir) throws Exception {
        AnnexRepo repo = init(dir);
        addRemote(repo, "origin", origin);
        fetch(repo, "origin");
        shareContent(origin, repo);
        new Merger(repo).merge(List.of("refs/remotes/origin/main"));
        return repo;
    }

    /** Writes {@code content} at {@code path} (replacing a link), adds it as {@code how} says and commits. */
    static void commitFile(AnnexRepo repo, String path, String content, AddOptions how) throws Exception {
        Path file = repo.workTree().resolve(path);
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.writeString(file, content);
        repo.add(List.of(file), how, Progress.NONE);
        repo.commit("change " + path);
    }

    /** Deletes {@code path} from the work tree and the index and commits. */
    static void commitDelete(AnnexRepo repo, String path) throws Exception {
        Files.delete(repo.workTree().resolve(path));
        try (Git git = Git.wrap(repo.git())) {
            git.rm().addFilepattern(path).setCached(true).call();
        }
        repo.commit("delete " + path);
    }

    /** Makes {@code other} reachable from {@code repo} as remote {@code name}. */
    static void addRemote(AnnexRepo repo, String name, AnnexRepo other) throws Exception {
        try (Git git = Git.wrap(repo.git())) {
            git.remoteAdd().setName(name).setUri(new URIish(other.workTree().toUri().toString())).call();
        }
    }

    /** Fetches {@code remote}'s branches to {@code refs/remotes/<remote>/*}. */
    static void fetch(AnnexRepo repo, String remote) throws GitAPIException {
        try (Git git = Git.wrap(repo.git())) {
            git.fetch().setRemote(remote).setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/" + remote + "/*"))
                    .call();
        }
    }

    /** Copies every annexed object of {@code from} into {@code to}'s store (what a content transfer would do). */
    static void shareContent(AnnexRepo from, AnnexRepo to) throws IOException {
        Path src = from.gitDir().resolve("annex/objects");
        Path dst = to.gitDir().resolve("annex/objects");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path target = dst.resolve(src.relativize(f).toString());
                Files.createDirectories(target.getParent());
                if (!Files.exists(target)) {
                    Files.copy(f, target);
                }
            }
        }
    }

    /** The files of HEAD's tree. */
    static SortedMap<String, TreeEntry> headFiles(AnnexRepo repo) throws IOException {
        try (ObjectReader reader = repo.git().newObjectReader()) {
            return Trees.flatten(reader, Optional.ofNullable(repo.git().resolve("HEAD^{tree}")));
        }
    }

    /** Asserts the work tree matches the index for annex-sync and for real git. */
    static void assertClean(AnnexRepo repo, GitAnnex tools) throws RepoException {
        assertEquals(List.of(), repo.status(), "annex-sync status of " + repo.workTree());
        if (GitAnnex.available()) {
            assertEquals("", tools.git(repo.workTree(), "status", "--porcelain"), "git status of " + repo.workTree());
        }
    }

    /** The variant name git-annex gives the content {@code content} added as {@code name} (SHA256E key). */
    static String variant(String dirAndBase, String ext, String content) throws NoSuchAlgorithmException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        String key = "SHA256E-s" + bytes.length + "--" + sha + ext;
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(key.getBytes(
                StandardCharsets.UTF_8)));
        return dirAndBase + ".variant-" + md5.substring(0, 4) + ext;
    }

    /** The text of a work-tree file (following a locked file's link to its content). */
    static String read(AnnexRepo repo, String path) throws IOException {
        return Files.readString(repo.workTree().resolve(path));
    }
}
