package io.annexsync.transfer.remote;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.info.Sizes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * git-annex's check of free disk space before content goes into a repository ({@code checkDiskSpace} in git-annex's
 * {@code Annex.Content.LowLevel}): the key fits when its size (1 byte when the key has none), plus the repository's
 * {@code annex.diskreserve}, plus what other transfers into the same repository still have to write, is at most the
 * free space of the disk of its {@code .git/annex} plus what a partial file of the key already holds. The reserve is
 * the receiving repository's own setting (git-annex reads the remote's config when it receives into a local remote),
 * 100 megabytes unless set, in any of git-annex's units ({@code 0.5 gb}, {@code 500M}, {@code 100 KiloBytes}); a
 * value that is not a size counts as the default, as in git-annex, and is logged once. Stateless but for that log.
 */
public final class DiskSpace {
    private static final Logger LOG = LoggerFactory.getLogger(DiskSpace.class);
    /** git-annex's default {@code annex.diskreserve}: 100 megabytes. */
    public static final long DEFAULT_RESERVE = 100_000_000L;
    /** Settings already said to be unreadable. */
    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

    private DiskSpace() {}

    /** The {@code annex.diskreserve} of {@code repo} in bytes (its git config is read again when it changed). */
    public static long reserve(AnnexRepo repo) {
        String value = repo.git().getConfig().getString("annex", null, "diskreserve");
        if (value == null || value.isBlank()) {
            return DEFAULT_RESERVE;
        }
        try {
            return Sizes.parse(value);
        } catch (IllegalArgumentException e) {
            if (SAID.add(repo.gitDir() + "=" + value)) {
                LOG.warn("annex.diskreserve of {}: {}; using git-annex's default of 100 megabytes", repo.workTree(),
                        e.getMessage());
            }
            return DEFAULT_RESERVE;
        }
    }

    /** The bytes free for this user on the disk of {@code repo}'s annex; empty when that cannot be told. */
    public static OptionalLong free(AnnexRepo repo) {
        Path annex = repo.gitDir().resolve("annex");
        try {
            return OptionalLong.of(Files.getFileStore(Files.isDirectory(annex) ? annex : repo.gitDir())
                    .getUsableSpace());
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The bytes missing for a key of {@code size} bytes to fit: positive when it does not fit.
     *
     * @param already the bytes a partial file of the key holds
     * @param incoming what other transfers into the same repository still have to write
     */
    public static long missing(long size, long reserve, long free, long already, long incoming) {
        return Math.max(size, 1) + reserve - free - already + incoming;
    }

    /** git-annex's words for a key that does not fit. */
    public static String notEnough(long missing) {
        return "not enough free space, need " + Sizes.abbreviated(missing) + " more (use --force to override this "
                + "check or adjust annex.diskreserve)";
    }
}
