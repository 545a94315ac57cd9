package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.annexsync.gitsync.testing.GitAnnex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * annex-sync takes its configuration from the environment git takes it from, not from the passwd entry: commits carry
 * the identity of {@code $HOME/.gitconfig}, of {@code $XDG_CONFIG_HOME/git/config}, of {@code $GIT_CONFIG_GLOBAL}
 * or of {@code GIT_AUTHOR_*}, exactly as real git's commits in the same environment do, also those of the daemon
 * started in the background; and a home folder that does not exist costs no error. Run through the real launcher in
 * processes of their own, each with its own environment.
 */
class EnvironmentIT {
    private static final List<String> IDENTITY_VARIABLES = List.of("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL",
            "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL");

    @TempDir
    Path tmp;

    private GitAnnex tools;
    private Path logs;
    private Path home;

    @BeforeEach
    void aHomeWithItsOwnIdentity() throws IOException {
        Oracle.assumeGitAnnex();
        tools = new GitAnnex(tmp.resolve("tools-home"));
        logs = tmp.resolve("logs");
        home = Files.createDirectories(tmp.resolve("home"));
        gitConfig(home.resolve(".gitconfig"), "Home User", "home@example.com");
    }

    @Test
    void aCommitCarriesTheIdentityOfTheHomeItIsRunWith() throws Exception {
        Map<String, String> env = withoutIdentity(Map.of("HOME", home.toString(),
                "XDG_CONFIG_HOME", home.resolve(".config").toString()));
        Path repo = Files.createDirectories(home.resolve("repo"));
        run(env, repo, "init");
        commitOneFile(env, repo);

        assertThat(identities(repo, "HEAD")).isEqualTo("Home User <home@example.com> / Home User <home@example.com>");
        assertThat(identities(repo, "git-annex")).startsWith("Home User <home@example.com>");
        assertThat(identities(repo, "HEAD")).isEqualTo(gitCommitIdentity(env));
        Path twin = Files.createDirectories(home.resolve("twin"));
        tools.git(twin, "init", "-q");
        GitAnnex.Outcome oracle = gitAnnexIn(env, twin, "init");
        assertThat(description(repo)).as("git annex init said:%n%s", oracle.all())
                .isEqualTo(description(twin).replace("~/twin", "~/repo")).endsWith(":~/repo");
    }

    @Test
    void xdgConfigHomeGitConfigGlobalAndGitAuthorVariablesAreTakenAsGitTakesThem() throws Exception {
        Path bare = Files.createDirectories(tmp.resolve("bare-home")); // no .gitconfig of its own
        Path xdg = tmp.resolve("xdg");
        gitConfig(xdg.resolve("git/config"), "Xdg User", "xdg@example.com");
        Path global = tmp.resolve("global.gitconfig");
        gitConfig(global, "Global User", "global@example.com");
        Map<String, Map<String, String>> cases = Map.of(
                "XDG_CONFIG_HOME", Map.of("HOME", bare.toString(), "XDG_CONFIG_HOME", xdg.toString()),
                "GIT_CONFIG_GLOBAL", Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", xdg.toString(),
                        "GIT_CONFIG_GLOBAL", global.toString()),
                "GIT_AUTHOR_NAME", Map.of("HOME", home.toString(), "GIT_AUTHOR_NAME", "Author Var",
                        "GIT_AUTHOR_EMAIL", "author@example.com"));
        Map<String, String> expected = Map.of(
                "XDG_CONFIG_HOME", "Xdg User <xdg@example.com> / Xdg User <xdg@example.com>",
                "GIT_CONFIG_GLOBAL", "Global User <global@example.com> / Global User <global@example.com>",
                "GIT_AUTHOR_NAME", "Author Var <author@example.com> / Home User <home@example.com>");
        for (var c : cases.entrySet()) {
            Map<String, String> env = new HashMap<>(withoutIdentity(Map.of("XDG_CONFIG_HOME", bare.toString())));
            env.putAll(c.getValue());
            Path repo = Files.createDirectories(tmp.resolve("repo-" + c.getKey()));
            run(env, repo, "init");
            commitOneFile(env, repo);
            assertThat(identities(repo, "HEAD")).as(c.getKey()).isEqualTo(expected.get(c.getKey()))
                    .isEqualTo(gitCommitIdentity(env));
        }
    }

    @Test
    void theDaemonStartedInTheBackgroundCommitsWithTheSameEnvironment() throws Exception {
        Map<String, String> env = withoutIdentity(Map.of("HOME", home.toString(),
                "XDG_CONFIG_HOME", home.resolve(".config").toString()));
        Path repo = Files.createDirectories(tmp.resolve("watched"));
        run(env, repo, "init");
        run(env, repo, "assistant");
        try {
            Files.writeString(repo.resolve("seen.txt"), "the daemon commits this\n");
            await("the daemon's commit of seen.txt").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).until(() -> Oracle.committed(tools, repo, "seen.txt"));
        } finally {
            run(env, repo, "assistant", "--stop");
        }
        assertThat(identities(repo, "HEAD")).isEqualTo("Home User <home@example.com> / Home User <home@example.com>");
    }

    @Test
    void aHomeThatDoesNotExistCostsNoErrorAndIsNotMade() throws Exception {
        Path missing = tmp.resolve("no-such-home");
        Map<String, String> env = new HashMap<>(Map.of("HOME", missing.toString()));
        env.put("XDG_CONFIG_HOME", null);
        Path repo = Files.createDirectories(tmp.resolve("homeless"));
        assertNoErrors(env, repo, List.of());
        assertThat(missing).doesNotExist();
    }

    /**
     * The user of the issue: one whose passwd entry names a home that does not exist ({@code nobody}, home {@code
     * /nonexistent}), here with {@code HOME} naming a missing folder too. JGit alone took the passwd home and logged
     * four ERROR traces a command trying to make {@code /nonexistent/.config/jgit}.
     */
    @Test
    void aUserWhosePasswdHomeDoesNotExistGetsNoErrorTraces() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a command as nobody");
        Optional<String[]> nobody = Files.readAllLines(Path.of("/etc/passwd")).stream().map(l -> l.split(":"))
                .filter(f -> f.length >= 6 && f[0].equals("nobody")).findFirst();
        assumeTrue(nobody.isPresent() && !Files.exists(Path.of(nobody.get()[5])),
                "needs a user nobody whose home does not exist");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path repo = Files.createDirectories(tmp.resolve("nobodys"));
        UserPrincipal user = repo.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(repo, user);
        Map<String, String> env = new HashMap<>(Map.of("HOME", tmp.resolve("no-such-home").toString()));
        env.put("XDG_CONFIG_HOME", null);
        assertNoErrors(env, repo, List.of("setpriv", "--reuid=" + nobody.get()[2], "--regid=" + nobody.get()[3],
                "--clear-groups"));
    }

    /**
     * Under the C locale (no LANG, as under cron, systemd or in a container) the JDK named files in ASCII, and every
     * other file name failed ({@code add é.txt failed: Malformed input or input contains unmappable characters}).
     */
    @Test
    void fileNamesThatAreNotAsciiWorkUnderTheCLocale() throws Exception {
        for (Map<String, String> locale : List.of(unset("LANG", "LC_ALL", "LC_CTYPE"), Map.of("LC_ALL", "C"))) {
            Path repo = Files.createDirectories(tmp.resolve("locale-" + locale.size()));
            Map<String, String> env = new HashMap<>(locale);
            run(env, repo, "init");
            Oracle.identity(tools, repo);
            Files.writeString(repo.resolve("é.txt"), "e\n");
            Files.writeString(repo.resolve("日本.txt"), "ja\n");
            run(env, repo, "add", ".");
            run(env, repo, "commit", "-m", "names");
            assertThat(tools.git(repo, "-c", "core.quotepath=false", "ls-files")).as("%s", locale)
                    .isEqualTo("é.txt\n日本.txt\n");
        }
    }

    private static Map<String, String> unset(String... names) {
        Map<String, String> env = new HashMap<>();
        for (String n : names) {
            env.put(n, null);
        }
        return env;
    }

    /** init, add, commit, status and sync work, and print no ERROR line, no exception, no trace. */
    private void assertNoErrors(Map<String, String> env, Path repo, List<String> wrapper) throws Exception {
        Files.writeString(repo.resolve("a.txt"), "a\n");
        for (List<String> args : List.of(List.of("init"), List.of("add", "a.txt"), List.of("commit", "-m", "a"),
                List.of("status"), List.of("sync"))) {
            Cli.Run r = CliProcess.start(tools, logs, String.join("-", args), repo, env, wrapper,
                    args.toArray(String[]::new)).finish();
            assertThat(r.exitCode()).as("%s: %s", args, r).isZero();
            assertThat(r.out() + r.err()).as("%s: %s", args, r).doesNotContain("ERROR").doesNotContain("Exception")
                    .doesNotContain("\tat ");
        }
        // the folder may belong to another user: git (run by this test) would refuse it as of dubious ownership
        assertThat(tools.git(repo, "-c", "safe.directory=*", "log", "--format=%s", "--", "a.txt")).contains("a");
    }

    private void commitOneFile(Map<String, String> env, Path repo) throws Exception {
        Files.writeString(repo.resolve("a.txt"), "some content\n");
        run(env, repo, "add", "a.txt");
        run(env, repo, "commit", "-m", "one file");
    }

    /** The author and committer of real git's commit in a scratch repository under the same environment. */
    private String gitCommitIdentity(Map<String, String> env) throws Exception {
        Path scratch = Files.createTempDirectory(tmp, "git-oracle");
        tools.git(scratch, "init", "-q");
        ProcessBuilder pb = new ProcessBuilder("git", "commit", "-q", "--allow-empty", "-m", "oracle")
                .directory(scratch.toFile()).redirectErrorStream(true).redirectOutput(tmp.resolve("oracle.out")
                        .toFile());
        apply(pb.environment(), env);
        Process p = pb.start();
        assertThat(p.waitFor()).as("git commit: %s", Files.readString(tmp.resolve("oracle.out"))).isZero();
        return identities(scratch, "HEAD");
    }

    private GitAnnex.Outcome gitAnnexIn(Map<String, String> env, Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "annex"));
        command.addAll(List.of(args));
        Path out = tmp.resolve("annex.out");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        apply(pb.environment(), env);
        int code = pb.start().waitFor();
        return new GitAnnex.Outcome(code, Files.readString(out), "");
    }

    private void apply(Map<String, String> target, Map<String, String> env) {
        tools.environment(target);
        env.forEach((k, v) -> {
            if (v == null) {
                target.remove(k);
            } else {
                target.put(k, v);
            }
        });
    }

    private void run(Map<String, String> env, Path repo, String... args) throws Exception {
        Cli.Run r = CliProcess.run(tools, logs, String.join("-", args), repo, env, args);
        assertThat(r.exitCode()).as("annex-sync %s: %s", String.join(" ", args), r).isZero();
    }

    private String identities(Path repo, String ref) {
        return tools.git(repo, "log", "-1", "--format=%an <%ae> / %cn <%ce>", ref).strip();
    }

    private String description(Path repo) {
        String uuid = tools.git(repo, "config", "annex.uuid").strip();
        for (String line : tools.git(repo, "show", "git-annex:uuid.log").split("\n")) {
            if (line.startsWith(uuid + " ")) {
                return line.substring(uuid.length() + 1, line.lastIndexOf(" timestamp="));
            }
        }
        throw new AssertionError("no description of " + uuid + " in " + repo);
    }

    /** {@code base} and no identity variable: the identity has to come from a config file. */
    private static Map<String, String> withoutIdentity(Map<String, String> base) {
        Map<String, String> env = new HashMap<>(base);
        IDENTITY_VARIABLES.forEach(v -> env.put(v, null));
        return env;
    }

    private static void gitConfig(Path file, String name, String email) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[user]\n\tname = " + name + "\n\temail = " + email + "\n");
    }
}
