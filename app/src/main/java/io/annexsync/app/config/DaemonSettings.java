package io.annexsync.app.config;

import io.annexsync.transfer.remote.p2p.tls.PeerAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The assistant daemon's settings, the {@code [assistant]} section of {@code assistant.conf}; each key, its default and
 * its meaning are in {@code assistant.conf.example}.
 *
 * @param quiet {@code assistant.quiet}: how long the folder must be still before a change is committed
 * @param closedQuiet {@code assistant.closedquiet}: how long a file that no process has open for writing must be still
 *     before it is committed (at most quiet)
 * @param maxDelay {@code assistant.maxdelay}: under continuous change, a commit at least this often
 * @param maxBatch {@code assistant.maxbatch}: at most this many files in one commit
 * @param retryInterval {@code assistant.retryinterval}: owed pushes and failed transfers are tried again this often
 * @param pushTimeout {@code assistant.pushtimeout}: how long one remote's fetch or push may take
 * @param remoteCheck {@code assistant.remotecheck}: how often the mount table and unreachable remotes are looked at
 * @param sanityCheck {@code assistant.sanitycheck}: how often the whole folder is checked against git and the
 *     location logs; zero for never
 * @param content {@code assistant.content}: move content (get what is missing, send along the network map), not only
 *     the git history
 * @param onChange {@code assistant.onchange}: a command run after each commit or merge with the changed paths on its
 *     standard input
 * @param logSize {@code assistant.logsize}: {@code daemon.log} is rolled over at this size, in bytes
 * @param logFiles {@code assistant.logfiles}: rolled logs kept ({@code daemon.log.1} ...)
 * @param listen {@code assistant.listen}: where the peer listener (mutual TLS, docs/peers.md) listens; empty for
 *     {@code off}
 */
public record DaemonSettings(Duration quiet, Duration closedQuiet, Duration maxDelay, int maxBatch,
        Duration retryInterval, Duration pushTimeout, Duration remoteCheck, Duration sanityCheck, boolean content,
        Optional<String> onChange, long logSize, int logFiles, Optional<PeerAddress> listen) {
    /** The defaults, as {@code assistant.conf.example} gives them. */
    public static final DaemonSettings DEFAULTS = new DaemonSettings(Duration.ofMillis(200), Duration.ofMillis(20),
            Duration.ofSeconds(2),
            5000, Duration.ofMinutes(30), Duration.ofSeconds(120), Duration.ofSeconds(2), Duration.ofDays(1), true,
            Optional.empty(), 10L << 20, 5, Optional.of(new PeerAddress("0.0.0.0", PeerAddress.DEFAULT_PORT)));

    public DaemonSettings {
        Objects.requireNonNull(onChange, "onChange");
        Objects.requireNonNull(listen, "assistant.listen");
        between("assistant.quiet", quiet, Duration.ofMillis(1), Duration.ofMinutes(1));
        Objects.requireNonNull(quiet, "assistant.quiet");
        between("assistant.closedquiet", closedQuiet, Duration.ZERO, quiet);
        between("assistant.maxdelay", maxDelay, quiet, Duration.ofHours(1));
        if (maxBatch < 1 || maxBatch > 1_000_000) {
            throw new ConfigException("assistant.maxbatch", maxBatch + " is not between 1 and 1000000");
        }
        between("assistant.retryinterval", retryInterval, Duration.ofSeconds(1), Duration.ofDays(7));
        between("assistant.pushtimeout", pushTimeout, Duration.ofSeconds(1), Duration.ofHours(1));
        between("assistant.remotecheck", remoteCheck, Duration.ofMillis(100), Duration.ofHours(1));
        between("assistant.sanitycheck", sanityCheck, Duration.ZERO, Duration.ofDays(365));
        if (logSize < 64 << 10) {
            throw new ConfigException("assistant.logsize", "must be at least 64KiB");
        }
        if (logFiles < 1 || logFiles > 100) {
            throw new ConfigException("assistant.logfiles", logFiles + " is not between 1 and 100");
        }
    }

    private static void between(String key, Duration d, Duration low, Duration high) {
        Objects.requireNonNull(d, key);
        if (d.compareTo(low) < 0 || d.compareTo(high) > 0) {
            throw new ConfigException(key, Durations.format(d) + " is not between " + Durations.format(low) + " and "
                    + Durations.format(high));
        }
    }
}
