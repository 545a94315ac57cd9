package io.annexsync.app.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.annexsync.gitsync.content.ItemResult;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints what a command did, either for a person (git-annex's {@code get file (from origin...) ok} lines) or as JSON
 * lines with git-annex's field names. Counts failures so the command can choose its exit code. Not thread-safe: one
 * per command run.
 */
final class Reporter {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private int failures;

    Reporter(PrintWriter out, PrintWriter err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    /** Reports one file's outcome of {@code command}; items with nothing to do print nothing, as in git-annex. */
    void item(String command, ItemResult r) {
        if (r.status() == ItemResult.Status.NOTHING_TO_DO) {
            return;
        }
        boolean ok = r.status() == ItemResult.Status.OK;
        if (!ok) {
            failures++;
        }
        if (json) {
            Map<String, Object> o = new TreeMap<>();
            o.put("command", command);
            o.put("error-messages", ok ? List.of() : List.of(r.message()));
            o.put("file", r.file());
            o.put("input", List.of(r.file()));
            r.key().ifPresent(k -> o.put("key", k.serialize()));
            if (!r.note().isEmpty()) {
                o.put("note", r.note());
            }
            o.put("success", ok);
            r.moved().ifPresent(m -> {
                o.put("bytes-moved", m.bytes());
                o.put("resumed-from", m.resumedFrom());
            });
            object(o);
            return;
        }
        String note = r.note().isEmpty() ? "" : " (" + r.note() + ")";
        out.println(command + " " + r.file() + note + (ok ? " ok" : " failed"));
        if (!ok && !r.message().isEmpty()) {
            err.println("  " + r.message().replace("\n", "\n  "));
        }
    }

    /** Prints one JSON object on its own line, keys in the given order. */
    void object(Map<String, ?> o) {
        out.println(GSON.toJson(o instanceof TreeMap<?, ?> ? o : new LinkedHashMap<>(o)));
    }

    /** Text printed as it is (already JSON, dot, or a rendered map), in either mode. */
    void raw(String text) {
        out.print(text.endsWith("\n") ? text : text + "\n");
    }

    /** A line for a person; nothing in JSON mode. */
    void human(String line) {
        if (!json) {
            out.println(line);
        }
    }

    /** A warning or error for a person, on stderr in both modes. */
    void warn(String line) {
        err.println(line);
    }

    void fail() {
        failures++;
    }

    /** The exit code for what was reported, with git-annex's closing {@code cmd: N failed} line. */
    int finish(String command) {
        if (failures > 0) {
            err.println(command + ": " + failures + " failed");
            return ExitCode.FAILED;
        }
        return ExitCode.OK;
    }
}
