package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Checks shared by the interop tests: real git-annex as the oracle, JSON lines, file trees and object stores. */
final class Oracle {
    static final String MISSING = "git-annex not on PATH: apt-get install git-annex";

    private Oracle() {}

    /** Whether git-annex is installed ({@link GitAnnex#available()} asks once per test JVM). */
    static boolean gitAnnexInstalled() {
        return GitAnnex.available();
    }

    /** Skips the calling test when git-annex is not installed (use per test: Failsafe counts those as skipped). */
    static void assumeGitAnnex() {
        assumeTrue(gitAnnexInstalled(), MISSING);
    }

    /** Gives the repository a commit identity in its own config, so JGit in this JVM never asks ~/.gitconfig. */
    static void identity(GitAnnex tools, Path repo) {
        tools.git(repo, "config", "user.name", GitAnnex.NAME);
        tools.git(repo, "config", "user.email", GitAnnex.EMAIL);
    }

    /** The JSON objects of a {@code --json} run, one a line. */
    static List<JsonObject> jsonLines(String out) {
        List<JsonObject> objects = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                objects.add(JsonParser.parseString(line).getAsJsonObject());
            }
        }
        return objects;
    }

    /** file → uuids from {@code whereis --json} lines (git-annex's or annex-sync's). */
    static Map<String, Set<String>> whereis(String jsonOut) {
        Map<String, Set<String>> where = new TreeMap<>();
        for (JsonObject o : jsonLines(jsonOut)) {
            Set<String> uuids = new TreeSet<>();
            for (JsonElement w : o.getAsJsonArray("whereis")) {
                uuids.add(w.getAsJsonObject().get("uuid").getAsString());
            }
            where.put(o.get("file").getAsString(), uuids);
        }
        return where;
    }

    /** uuid → description of one repository list of {@code info --json} ("semitrusted repositories", ...). */
    static Map<String, String> repositories(JsonObject info, String list) {
        Map<String, String> repos = new TreeMap<>();
        for (JsonElement e : info.getAsJsonArray(list)) {
            JsonObject r = e.getAsJsonObject();
            repos.put(r.get("uuid").getAsString(), r.get("description").getAsString() + (r.get("here").getAsBoolean()
                    ? " [here]" : ""));
        }
        return repos;
    }

    /**
     * Every regular file (following annex symlinks) under {@code root} outside .git, relative path → sha256. A file
     * that goes away while it is read (a daemon replaces it) fails with an {@link UncheckedIOException}: callers that
     * poll ignore it and look again.
     */
    static Map<String, String> contents(Path root) {
        Map<String, String> tree = new TreeMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.getFileName().toString().equals(".git") ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (Files.isRegularFile(file)) {
                        tree.put(root.relativize(file).toString(), sha256(file));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tree;
    }

    /** Whether {@code dir}'s history has a commit that touches {@code path} (false before the first commit). */
    static boolean committed(GitAnnex tools, Path dir, String path) {
        GitAnnex.Outcome log = tools.tryGit(dir, "log", "--oneline", "--", path);
        return log.exitCode() == 0 && !log.out().isBlank();
    }

    /** Every file in {@code .git/annex/objects}; each one's bytes must hash to the name of its SHA256E key. */
    static List<Path> assertEveryObjectVerifies(Path repo) {
        Path objects = repo.resolve(".git/annex/objects");
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(objects)) {
            return found;
        }
        try (Stream<Path> files = Files.walk(objects)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().endsWith(".lck")) {
                    String key = p.getFileName().toString();
                    assertThat(key).as("object %s", p).startsWith("SHA256E-s");
                    long size = Long.parseLong(key.substring("SHA256E-s".length(), key.indexOf("--")));
                    String hash = key.substring(key.indexOf("--") + 2).split("\\.", 2)[0];
                    assertThat(Files.size(p)).as("size of object %s", key).isEqualTo(size);
                    assertThat(sha256(p)).as("checksum of object %s", key).isEqualTo(hash);
                    found.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    static String sha256(Path file) {
        try {
            return sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asserts that {@code git annex fsck} passes without repairing or quarantining anything. */
    static void assertGitAnnexFsckPasses(GitAnnex tools, Path repo) {
        GitAnnex.Outcome fsck = tools.tryAnnex(repo, "fsck");
        assertThat(fsck.exitCode()).as("git annex fsck in %s:\n%s", repo, fsck.all()).isZero();
        assertThat(fsck.all()).doesNotContain("fixing").doesNotContain("moved to .git/annex/bad");
    }
}
