package io.annexsync.gitsync;

import io.annexsync.gitsync.stage.StatCache;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * annex-sync's own state of one repository under {@code .git/annex-sync/}: the stat cache (SQLite), opened on first
 * use, and the record of where annex-sync last left each branch ({@link HeadRecord}). Deleting the folder loses the
 * cache, and makes the next commit judge from the branch's reflog whether the branch moved meanwhile. One per
 * {@link AnnexRepo}, used from its thread; closed with it.
 */
public final class RepoState implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RepoState.class);

    private final Path gitDir;
    private final Clock clock;
    private final HeadRecord heads;
    private Optional<StatCache> statCache = Optional.empty();

    RepoState(Path gitDir, Clock clock) {
        this.gitDir = gitDir;
        this.clock = clock;
        this.heads = new HeadRecord(gitDir);
    }

    /** Where annex-sync last left each branch. */
    public HeadRecord heads() {
        return heads;
    }

    /** The stat cache, opened (and created) on first use. */
    public StatCache statCache() throws RepoException {
        if (statCache.isEmpty()) {
            statCache = Optional.of(StatCache.open(gitDir, clock));
        }
        return statCache.get();
    }

    @Override
    public void close() {
        try {
            if (statCache.isPresent()) {
                statCache.get().close();
            }
        } catch (RepoException e) {
            LOG.warn("closing the stat cache in {} failed: {}", gitDir, e.getMessage());
        }
        statCache = Optional.empty();
    }
}
