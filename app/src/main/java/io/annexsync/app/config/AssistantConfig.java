package io.annexsync.app.config;

import io.annexsync.gitsync.info.Sizes;
import io.annexsync.transfer.engine.TransferSettings;
import io.annexsync.transfer.queue.QueuePolicy;
import io.annexsync.transfer.remote.p2p.tls.PeerAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;

/**
 * The settings of {@code assistant.conf}; every key, its default and its meaning are in
 * {@code assistant.conf.example} at the project root.
 *
 * @param addJobs {@code add.jobs}: files hashed in parallel by {@code add} (1 to 64)
 * @param addLocked {@code add.locked}: add annexed files locked unless told otherwise
 * @param transferDownloads {@code transfer.downloads}: download worker threads (1 to 64)
 * @param transferUploads {@code transfer.uploads}: upload worker threads (1 to 64)
 * @param transferPerRemote {@code transfer.perremote}: transfers at once with one remote (1 to 64)
 * @param transferBwLimit {@code transfer.bwlimit}: bytes per second over all transfers; empty for no limit
 * @param daemon the {@code [assistant]} section: the daemon's own settings
 */
public record AssistantConfig(int addJobs, boolean addLocked, int transferDownloads, int transferUploads,
        int transferPerRemote, OptionalLong transferBwLimit, DaemonSettings daemon) {
    /** Every key this record reads, as {@code section.name}; the example file documents each. */
    public static final List<String> KEYS = List.of("add.jobs", "add.locked", "transfer.downloads",
            "transfer.uploads", "transfer.perremote", "transfer.bwlimit", "assistant.quiet", "assistant.closedquiet",
            "assistant.maxdelay",
            "assistant.maxbatch", "assistant.retryinterval", "assistant.pushtimeout", "assistant.remotecheck",
            "assistant.sanitycheck", "assistant.content", "assistant.onchange", "assistant.logsize",
            "assistant.logfiles", "assistant.listen");
    /** Transfer workers each way, and at once per remote, unless configured. */
    public static final int DEFAULT_TRANSFER_WORKERS = 4;

    /** Where a repository keeps its assistant.conf, relative to its git directory. */
    public static final String FILE = "annex-sync/assistant.conf";

    public AssistantConfig {
        if (addJobs < 1 || addJobs > 64) {
            throw new ConfigException("add.jobs", addJobs + " is not between 1 and 64");
        }
        checkWorkers("transfer.downloads", transferDownloads);
        checkWorkers("transfer.uploads", transferUploads);
        checkWorkers("transfer.perremote", transferPerRemote);
        if (transferBwLimit.isPresent() && transferBwLimit.getAsLong() < 1) {
            throw new ConfigException("transfer.bwlimit", "must be a size per second, or 0 for no limit");
        }
        Objects.requireNonNull(daemon, "daemon");
    }

    private static void checkWorkers(String key, int n) {
        if (n < 1 || n > 64) {
            throw new ConfigException(key, n + " is not between 1 and 64");
        }
    }

    /** The defaults, for a machine with {@code cores} cores. */
    public static AssistantConfig defaults(int cores) {
        return new AssistantConfig(Math.max(1, Math.min(cores, 64)), false, DEFAULT_TRANSFER_WORKERS,
                DEFAULT_TRANSFER_WORKERS, DEFAULT_TRANSFER_WORKERS, OptionalLong.empty(), DaemonSettings.DEFAULTS);
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
                integer(config, "add", "jobs", d.addJobs()), bool(config, "add", "locked", d.addLocked()),
                integer(config, "transfer", "downloads", d.transferDownloads()),
                integer(config, "transfer", "uploads", d.transferUploads()),
                integer(config, "transfer", "perremote", d.transferPerRemote()),
                rate(config, "transfer", null, "bwlimit"), daemon(config, d.daemon()));
    }

    private static DaemonSettings daemon(Config c, DaemonSettings d) {
        String onChange = c.getString("assistant", null, "onchange");
        Duration quiet = duration(c, "quiet", d.quiet());
        Duration closedQuiet = duration(c, "closedquiet", d.closedQuiet().compareTo(quiet) > 0 ? quiet
                : d.closedQuiet());
        return new DaemonSettings(quiet, closedQuiet, duration(c, "maxdelay", d.maxDelay()),
                integer(c, "assistant", "maxbatch", d.maxBatch()),
                duration(c, "retryinterval", d.retryInterval()), duration(c, "pushtimeout", d.pushTimeout()),
                duration(c, "remotecheck", d.remoteCheck()), duration(c, "sanitycheck", d.sanityCheck()),
                bool(c, "assistant", "content", d.content()),
                Optional.ofNullable(onChange).map(String::trim).filter(s -> !s.isEmpty()),
                size(c, "assistant", "logsize", d.logSize()), integer(c, "assistant", "logfiles", d.logFiles()),
                listen(c.getString("assistant", null, "listen"), d.listen()));
    }

    /**
     * {@code assistant.listen}: {@code off}, a port (on every address), {@code HOST:PORT} or {@code [V6]:PORT}.
     *
     * @throws ConfigException naming the key when it is none of these
     */
    static Optional<PeerAddress> listen(String text, Optional<PeerAddress> fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String t = text.strip();
        if (t.equalsIgnoreCase("off") || t.equalsIgnoreCase("false")) {
            return Optional.empty();
        }
        try {
            if (t.chars().allMatch(Character::isDigit)) {
                return Optional.of(new PeerAddress("0.0.0.0", Integer.parseInt(t)));
            }
            return Optional.of(PeerAddress.parse(t));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("assistant.listen", e.getMessage() + "; write off, a port, HOST:PORT or "
                    + "[IPV6]:PORT");
        }
    }

    private static Duration duration(Config config, String name, Duration fallback) {
        String text = config.getString("assistant", null, name);
        if (text == null) {
            return fallback;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("assistant." + name, e.getMessage());
        }
    }

    private static long size(Config config, String section, String name, long fallback) {
        String text = config.getString(section, null, name);
        if (text == null) {
            return fallback;
        }
        try {
            return Sizes.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(section + "." + name, e.getMessage());
        }
    }

    /**
     * The transfer engine's settings: these workers and limits, with per-remote limits from git-annex's
     * {@code remote.NAME.annex-bwlimit} in {@code gitConfig} for each of {@code remotes}.
     *
     * @throws ConfigException naming the setting when a per-remote limit is not a size
     */
    public TransferSettings transferSettings(Config gitConfig, List<String> remotes, QueuePolicy policy) {
        Map<String, Long> limits = new HashMap<>();
        for (String name : remotes) {
            rate(gitConfig, "remote", name, "annex-bwlimit").ifPresent(bytes -> limits.put(name, bytes));
        }
        return new TransferSettings(transferDownloads, transferUploads, transferPerRemote, transferBwLimit, limits,
                policy);
    }

    /**
     * A size per second such as {@code 20MiB} (or {@code 20MiB/s}) at {@code section.subsection.name}; 0 or absent
     * for no limit.
     */
    private static OptionalLong rate(Config config, String section, String subsection, String name) {
        String text = config.getString(section, subsection, name);
        if (text == null) {
            return OptionalLong.empty();
        }
        try {
            long bytes = Sizes.parse(text.endsWith("/s") ? text.substring(0, text.length() - 2) : text);
            return bytes == 0 ? OptionalLong.empty() : OptionalLong.of(bytes);
        } catch (IllegalArgumentException e) {
            String key = section + (subsection == null ? "" : "." + subsection) + "." + name;
            throw new ConfigException(key, e.getMessage());
        }
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
