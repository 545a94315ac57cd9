package io.annexsync.app.assistant;

import io.annexsync.gitsync.stage.StageOutcome;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work-tree files the daemon could not commit (a name with a newline in an unlocked folder, a name that is not
 * valid UTF-8, a full disk, a pointer file with other content appended...), each with its problem: logged once when it
 * first fails (or fails for another reason), listed in {@code daemon.json} under {@code not-added} for {@code status},
 * forgotten once the file is staged or gone. The other files of the same batch are committed as usual. The FIFOs,
 * sockets and device files the stager skipped are kept the same way, apart ({@code ignored}, logged once at info
 * level: nothing is wrong). Used on the repository thread only.
 */
final class NotAdded {
    private static final Logger LOG = LoggerFactory.getLogger(NotAdded.class);

    private final StatusBoard board;
    private final Map<String, String> problems = new TreeMap<>();
    private final Map<String, String> ignored = new TreeMap<>();

    NotAdded(StatusBoard board) {
        this.board = board;
    }

    /**
     * What one staging run said about {@code lookedAt} (relative paths; the empty string for the whole tree): failed
     * files are recorded, files under {@code lookedAt} that did not fail this time are forgotten.
     */
    void staged(Collection<String> lookedAt, List<StageOutcome> outcomes) {
        Map<String, String> failed = new TreeMap<>();
        Map<String, String> skipped = new TreeMap<>();
        for (StageOutcome o : outcomes) {
            if (o.leftOut()) {
                failed.put(o.path(), o.problem().orElse("it could not be staged"));
            } else if (o.kind() == StageOutcome.Kind.IGNORED) {
                skipped.put(o.path(), o.problem().orElse("it is not a regular file"));
            }
        }
        if (update(problems, lookedAt, failed, (p, why) -> LOG.warn("not committed: {}: {}", printable(p), why))) {
            board.notAdded(Map.copyOf(problems));
        }
        if (update(ignored, lookedAt, skipped, (p, why) -> LOG.info("ignored: {}: {}", printable(p), why))) {
            board.ignored(Map.copyOf(ignored));
        }
    }

    /**
     * Makes {@code known} say what a run found under {@code lookedAt}; a path logged once, when it first comes or its
     * problem changes. True when {@code known} changed.
     */
    private static boolean update(Map<String, String> known, Collection<String> lookedAt, Map<String, String> found,
            BiConsumer<String, String> log) {
        boolean changed = known.keySet().removeIf(p -> !found.containsKey(p) && under(lookedAt, p));
        for (var e : found.entrySet()) {
            String before = known.put(e.getKey(), e.getValue());
            if (!e.getValue().equals(before)) {
                log.accept(e.getKey(), e.getValue());
                changed = true;
            }
        }
        return changed;
    }

    private static boolean under(Collection<String> lookedAt, String path) {
        for (String p : lookedAt) {
            if (p.isEmpty() || path.equals(p) || path.startsWith(p + "/")) {
                return true;
            }
        }
        return false;
    }

    /** A path for a log line: a newline in it shown as {@code \n}, so the entry stays one line. */
    static String printable(String path) {
        return path.replace("\n", "\\n").replace("\r", "\\r");
    }
}
