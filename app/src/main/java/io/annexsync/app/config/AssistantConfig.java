package io.annexsync.app.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;

/**
 * The settings of {@code assistant.conf}; every key, its default and its meaning are in
 * {@code assistant.conf.example} at the project root.
 *
 * @param addJobs {@code add.jobs}: files hashed in parallel by {@code add} (1 to 64)
 * @param addLocked {@code add.locked}: add annexed files locked unless told otherwise
 */
public record AssistantConfig(int addJobs, boolean addLocked) {
    /** Every key this record reads, as {@code section.name}; the example file documents each. */
    public static final List<String> KEYS = List.of("add.jobs", "add.locked");

    /** Where a repository keeps its assistant.conf, relative to its git directory. */
    public static final String FILE = "annex-sync/assistant.conf";

    public AssistantConfig {
        if (addJobs < 1 || addJobs > 64) {
            throw new ConfigException("add.jobs", addJobs + " is not between 1 and 64");
        }
    }

    /** The defaults, for a machine with {@code cores} cores. */
    public static AssistantConfig defaults(int cores) {
        return new AssistantConfig(Math.max(1, Math.min(cores, 64)), false);
    }

    /** Reads {@code file}; the defaults when it does not exist. */
    public static AssistantConfig load(Path file, int cores) throws IOException {
        if (!Files.exists(file)) {
            return defaults(cores);
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8), cores);
    }

    /** Parses git-config text; unknown keys are ignored, bad values name their key. */
    public static AssistantConfig parse(String text, int cores) {
        Config config = new Config();
        try {
            config.fromText(text);
        } catch (ConfigInvalidException e) {
            throw new ConfigException("assistant.conf", "not valid git-config syntax: " + e.getMessage());
        }
        AssistantConfig d = defaults(cores);
        return new AssistantConfig(
                integer(config, "add", "jobs", d.addJobs()), bool(config, "add", "locked", d.addLocked()));
    }

    private static int integer(Config config, String section, String name, int fallback) {
        try {
            return config.getInt(section, name, fallback);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(section + "." + name, "'" + config.getString(section, null, name)
                    + "' is not a whole number");
        }
    }

    private static boolean bool(Config config, String section, String name, boolean fallback) {
        try {
            return config.getBoolean(section, name, fallback);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(section + "." + name, "'" + config.getString(section, null, name)
                    + "' is not true or false");
        }
    }
}
