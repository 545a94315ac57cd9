package io.annexsync.gitsync;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.storage.file.UserConfigFile;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * What JGit reads of the system, taken from an environment the executable hands down, as git itself takes it (JGit
 * alone takes the home folder from the passwd entry and ignores some of git's variables):
 * <ul>
 *   <li>the home folder is {@code $HOME}; with no {@code HOME}, git reads no user config, and neither does this;
 *   <li>the user's config is {@code $XDG_CONFIG_HOME/git/config} (default {@code $HOME/.config/git/config}) then
 *       {@code $HOME/.gitconfig}, or only the file {@code $GIT_CONFIG_GLOBAL} names;
 *   <li>the system config is {@code /etc/gitconfig} (where git says it is), or {@code $GIT_CONFIG_SYSTEM}, or none
 *       with {@code GIT_CONFIG_NOSYSTEM};
 *   <li>{@code GIT_AUTHOR_NAME}, {@code GIT_AUTHOR_EMAIL}, {@code GIT_COMMITTER_NAME} and {@code GIT_COMMITTER_EMAIL}
 *       come from the same environment, for JGit's identity lookup.
 * </ul>
 * JGit keeps measurements of the file system in a config of its own under {@code $XDG_CONFIG_HOME/jgit}; it is
 * written only where that needs no new home folder and the folder can be written, so a user whose home does not
 * exist (or is read-only) gets no error from it.
 *
 * <p>Below every config file lie annex-sync's own defaults ({@link #DEFAULTS}): JGit never collects garbage on its
 * own ({@code gc.auto=0}, {@code gc.autopacklimit=0}, {@code fetch.autogc=false}, {@code receive.autogc=false}). JGit
 * runs an automatic gc after every fetch and, in the pushing process, in the receiving repository after every push
 * through a path remote; that gc packs refs and writes {@code gc.log} under locks while peers push into the same
 * repository, and a daemon killed meanwhile leaves {@code packed-refs.lock} and {@code gc.log.lock} behind, which
 * stop every later fetch there. A repository's or the user's own setting of these keys still wins.
 *
 * <p>The module never reads the environment itself: the executable calls {@link #install} once, before any
 * repository is opened, with the environment it was started with. Thread-safe: immutable.
 */
public final class GitEnvironment extends SystemReader {
    private static final String HOME = "HOME";

    /** annex-sync's defaults under every config file: no automatic gc by JGit, in any repository it writes. */
    public static final Map<String, String> DEFAULTS = Map.of("gc.auto", "0", "gc.autopacklimit", "0",
            "fetch.autogc", "false", "receive.autogc", "false");

    private final SystemReader base;
    private final Map<String, String> env;

    private GitEnvironment(SystemReader base, Map<String, String> env) {
        this.base = base;
        this.env = Map.copyOf(env);
    }

    /** Makes JGit read {@code env} (the environment of this process, as the executable got it) from now on. */
    public static void install(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        SystemReader.setInstance(new GitEnvironment(SystemReader.getInstance(), env));
    }

    /**
     * The home folder as git sees it: {@code $HOME} of the installed environment, else (no environment installed, as
     * in tests in process) the JVM's {@code user.home}; empty when the environment has no {@code HOME}.
     */
    public static Optional<Path> home() {
        return Optional.ofNullable(SystemReader.getInstance().getProperty("user.home")).filter(h -> !h.isEmpty())
                .map(Path::of);
    }

    private Optional<String> variable(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isEmpty());
    }

    @Override
    public String getenv(String variable) {
        return env.get(variable);
    }

    @Override
    public String getProperty(String key) {
        if (key.equals("user.home")) {
            return variable(HOME).orElse(null);
        }
        return base.getProperty(key);
    }

    @Override
    public FileBasedConfig openSystemConfig(Config parent, FS fs) {
        if (variable("GIT_CONFIG_NOSYSTEM").isPresent()) {
            return new EmptyConfig(parent, fs);
        }
        File system = variable("GIT_CONFIG_SYSTEM").map(File::new).orElseGet(fs::getGitSystemConfig);
        return system == null ? new EmptyConfig(parent, fs) : new FileBasedConfig(parent, system, fs);
    }

    @Override
    public FileBasedConfig openUserConfig(Config parent, FS fs) {
        Optional<String> global = variable("GIT_CONFIG_GLOBAL");
        if (global.isPresent()) {
            return new FileBasedConfig(parent, new File(global.get()), fs);
        }
        Path xdg = getXdgConfigDirectory(fs);
        File home = fs.userHome();
        if (home == null) {
            return xdg == null ? new EmptyConfig(parent, fs)
                    : new FileBasedConfig(parent, xdg.resolve("git").resolve("config").toFile(), fs);
        }
        File gitconfig = new File(home, ".gitconfig");
        return xdg == null ? new FileBasedConfig(parent, gitconfig, fs)
                : new UserConfigFile(parent, gitconfig, xdg.resolve("git").resolve("config").toFile(), fs);
    }

    @Override
    public FileBasedConfig openJGitConfig(Config parent, FS fs) {
        Config defaults = defaults(parent);
        Path xdg = getXdgConfigDirectory(fs);
        if (xdg == null) {
            return new EmptyConfig(defaults, fs);
        }
        Path file = xdg.resolve("jgit").resolve("config");
        return new FileBasedConfig(defaults, file.toFile(), fs) {
            @Override
            public void save() throws IOException {
                if (canCreate(file.getParent())) {
                    super.save();
                }
            }
        };
    }

    /** {@link #DEFAULTS} as a config in memory above {@code parent}. */
    static Config defaults(Config parent) {
        Config c = new Config(parent);
        DEFAULTS.forEach((key, value) -> {
            int dot = key.indexOf('.');
            c.setString(key.substring(0, dot), null, key.substring(dot + 1), value);
        });
        return c;
    }

    /**
     * Whether {@code dir} is a writable folder, or can be made in the nearest folder above it that exists without
     * making the home folder itself.
     */
    private boolean canCreate(Path dir) {
        Optional<Path> home = variable(HOME).map(Path::of);
        if (home.isEmpty() || !Files.isDirectory(home.get())) {
            return false;
        }
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p != null && Files.isDirectory(p) && Files.isWritable(p);
    }

    @Override
    public String getHostname() {
        return base.getHostname();
    }

    @Override
    public long getCurrentTime() {
        return base.getCurrentTime();
    }

    @Override
    public int getTimezone(long when) {
        return base.getTimezone(when);
    }

    /** A config with no file: nothing is loaded, nothing is saved. */
    private static final class EmptyConfig extends FileBasedConfig {
        EmptyConfig(Config parent, FS fs) {
            super(parent, null, fs);
        }

        @Override
        public void load() {
            // no file to read
        }

        @Override
        public void save() {
            // no file to write
        }

        @Override
        public boolean isOutdated() {
            return false;
        }
    }
}
