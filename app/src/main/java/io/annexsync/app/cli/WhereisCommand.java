package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Location;
import io.annexsync.gitsync.RepoException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code annex-sync whereis [PATH…]}: which repositories hold each annexed file's content. */
@Command(name = "whereis", description = "List the repositories that have the content of each annexed file.")
final class WhereisCommand extends RepoCommand {
    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files or folders (default: the current folder).")
    List<Path> paths = List.of();

    @Override
    boolean writes() {
        return false;
    }

    @Override
    int run(AnnexRepo repo, Reporter reporter) throws RepoException {
        for (AnnexedFile f : Paths.select(repo, cwd(), paths, reporter, "whereis")) {
            List<Location> copies = repo.whereis(f.key());
            String note = note(copies);
            if (copies.isEmpty()) {
                reporter.fail();
            }
            if (reporter.json()) {
                reporter.object(json(f, copies, note));
            } else {
                String count = copies.size() + " cop" + (copies.size() == 1 ? "y" : "ies");
                reporter.human("whereis " + f.path() + " (" + count
                        + ")" + (copies.isEmpty() ? " failed" : ""));
                for (Location l : copies) {
                    reporter.human("  \t" + l.uuid() + " -- " + l.label());
                }
                if (!copies.isEmpty()) {
                    reporter.human("ok");
                }
            }
        }
        return reporter.finish("whereis");
    }

    private static String note(List<Location> copies) {
        StringBuilder sb = new StringBuilder();
        sb.append(copies.size()).append(copies.size() == 1 ? " copy\n" : " copies\n");
        for (Location l : copies) {
            sb.append('\t').append(l.uuid()).append(" -- ").append(l.label()).append('\n');
        }
        return sb.toString();
    }

    private static Map<String, Object> json(AnnexedFile f, List<Location> copies, String note) {
        List<Map<String, Object>> where = new ArrayList<>();
        for (Location l : copies) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("description", l.jsonDescription());
            w.put("here", l.here());
            w.put("urls", List.of());
            w.put("uuid", l.uuid().value());
            where.add(w);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("command", "whereis");
        o.put("error-messages", List.of());
        o.put("file", f.path());
        o.put("input", List.of(f.path()));
        o.put("key", f.key().serialize());
        o.put("note", note);
        o.put("success", !copies.isEmpty());
        o.put("untrusted", List.of());
        o.put("whereis", where);
        return o;
    }
}
