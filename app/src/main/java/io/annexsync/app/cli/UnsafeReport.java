package io.annexsync.app.cli;

import io.annexsync.gitsync.sync.UnsafeCommit;
import io.annexsync.gitsync.sync.UnsafePath;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code sync} and {@code status} show incoming commits whose unsafe paths were left out (docs/sync.md, "Unsafe
 * paths"): one line per path naming the remote, the ref and the commit, and one JSON object per commit.
 */
final class UnsafeReport {
    /** Paths listed one a line per commit; the rest are counted (status --json lists every recorded one). */
    static final int LINES = 20;

    private UnsafeReport() {}

    /** What {@code sync} just left out and no earlier merge reported: on stderr, and as JSON with {@code --json}. */
    static void leftOut(Reporter reporter, String command, List<UnsafeCommit> commits) {
        for (UnsafeCommit c : commits) {
            String where = c.remote().orElse("a peer's push") + " (" + c.ref() + ", commit " + c.commit() + ")";
            for (UnsafePath p : c.paths().subList(0, Math.min(LINES, c.paths().size()))) {
                reporter.warn("annex-sync: left out unsafe path " + p.path() + " of " + where + ": " + p.reason());
            }
            if (c.paths().size() > LINES) {
                reporter.warn("annex-sync: and " + (c.paths().size() - LINES) + " more unsafe paths of " + where
                        + " ('annex-sync status --json' lists them)");
            }
            if (reporter.json()) {
                Map<String, Object> o = json(c);
                o.put("command", command);
                o.put("success", false);
                reporter.object(o);
            }
        }
    }

    /** The records {@code status} shows: a line per commit for a person, an object per commit in JSON. */
    static void recorded(Reporter reporter, List<UnsafeCommit> commits) {
        for (UnsafeCommit c : commits) {
            if (reporter.json()) {
                reporter.object(json(c));
                continue;
            }
            List<String> paths = c.paths().stream().map(UnsafePath::path).toList();
            String shown = String.join(", ", paths.subList(0, Math.min(LINES, paths.size())))
                    + (paths.size() > LINES ? ", and " + (paths.size() - LINES) + " more" : "");
            reporter.human("unsafe paths left out of " + c.source() + " at commit " + c.commit() + " ("
                    + paths.size() + " path" + (paths.size() == 1 ? "" : "s") + ", never written; see docs/sync.md): "
                    + shown);
        }
    }

    private static Map<String, Object> json(UnsafeCommit c) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("unsafe-commit", c.commit());
        o.put("remote", c.remote().orElse(null));
        o.put("ref", c.ref());
        o.put("paths", c.paths().stream().map(p -> Map.of("path", p.path(), "reason", p.reason())).toList());
        return o;
    }
}
