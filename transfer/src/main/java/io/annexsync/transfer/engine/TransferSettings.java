package io.annexsync.transfer.engine;

import io.annexsync.transfer.queue.QueuePolicy;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How the transfer engine works.
 *
 * @param downloads download worker threads (1 to 64)
 * @param uploads upload worker threads (1 to 64)
 * @param perRemote transfers that may run at once with one remote, counted over every process (1 to 64)
 * @param bandwidth the limit over every transfer of this engine, in bytes per second; empty for none
 * @param remoteBandwidth limits per remote name, in bytes per second ({@code remote.NAME.annex-bwlimit})
 * @param policy retry back-off and how many failures make a transfer FAILED (1 for a command: it reports the
 *     failure at once; more for the daemon, which retries in the background)
 * @param checkSpace whether a transfer into a repository first checks that the key leaves its {@code
 *     annex.diskreserve} free, as git-annex does (false for {@code get --force})
 */
public record TransferSettings(int downloads, int uploads, int perRemote, OptionalLong bandwidth,
        Map<String, Long> remoteBandwidth, QueuePolicy policy, boolean checkSpace) {

    public TransferSettings {
        check("downloads", downloads);
        check("uploads", uploads);
        check("perRemote", perRemote);
        Objects.requireNonNull(bandwidth, "bandwidth");
        Objects.requireNonNull(policy, "policy");
        remoteBandwidth = Map.copyOf(remoteBandwidth);
        if (bandwidth.isPresent() && bandwidth.getAsLong() < 1) {
            throw new IllegalArgumentException("bandwidth must be at least 1 byte/s: " + bandwidth.getAsLong());
        }
        remoteBandwidth.forEach((name, limit) -> {
            if (limit < 1) {
                throw new IllegalArgumentException("bandwidth of " + name + " must be at least 1 byte/s: " + limit);
            }
        });
    }

    /** Settings that check the free space before each transfer. */
    public TransferSettings(int downloads, int uploads, int perRemote, OptionalLong bandwidth,
            Map<String, Long> remoteBandwidth, QueuePolicy policy) {
        this(downloads, uploads, perRemote, bandwidth, remoteBandwidth, policy, true);
    }

    /** These settings without the free-space check ({@code --force}). */
    public TransferSettings withoutSpaceCheck() {
        return new TransferSettings(downloads, uploads, perRemote, bandwidth, remoteBandwidth, policy, false);
    }

    private static void check(String what, int n) {
        if (n < 1 || n > 64) {
            throw new IllegalArgumentException(what + " must be between 1 and 64: " + n);
        }
    }
}
