package io.annexsync.gitsync.branch;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.lib.AnyObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a git-annex branch file from a peer held that was not read: a file over {@link #MAX_FILE} bytes (never loaded
 * into memory) or lines that did not parse. Each distinct problem is logged once at WARN, naming the branch path, so
 * a log read on every command does not repeat it; at most {@link #MAX_REMEMBERED} are remembered. Thread-safe.
 */
final class BranchWarnings {
    /** The largest branch file read; git-annex's logs are kilobytes (a uuid.log of 10,000 repositories is 1 MB). */
    static final long MAX_FILE = 16L << 20;
    private static final int MAX_REMEMBERED = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(BranchWarnings.class);

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** Whether a blob of {@code size} bytes may be read; when not, says so (once per blob). */
    boolean readable(String path, AnyObjectId blob, long size) {
        if (size <= MAX_FILE) {
            return true;
        }
        if (firstTime(path + " " + blob.name())) {
            LOG.warn("git-annex branch file {} ({}) is {} bytes, more than the {} read: ignored", path, blob.name(),
                    size, MAX_FILE);
        }
        return false;
    }

    /** Reports the lines of {@code path} that were skipped (once per path, line and reason). */
    void skipped(String path, List<MalformedLine> lines) {
        for (MalformedLine m : lines) {
            if (firstTime(path + " " + m.number() + " " + m.reason())) {
                LOG.warn("git-annex branch file {}: line {} skipped: {}", path, m.number(), m.reason());
            }
        }
    }

    /** Whether {@code problem} is new; once {@link #MAX_REMEMBERED} are known, none is (said once). */
    private boolean firstTime(String problem) {
        if (seen.size() < MAX_REMEMBERED) {
            return seen.add(problem);
        }
        if (seen.add("")) {
            LOG.warn("more than {} problems in git-annex branch files; no more are reported", MAX_REMEMBERED);
        }
        return false;
    }
}
