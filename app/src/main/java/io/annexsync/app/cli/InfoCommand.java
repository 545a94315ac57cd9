package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.info.RemoteInfo;
import io.annexsync.gitsync.info.RepoInfo;
import io.annexsync.gitsync.info.RepositoryEntry;
import io.annexsync.gitsync.info.Sizes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code annex-sync info [FILE|REMOTE]}: the repository, one file, or one remote, as {@code git annex info} shows. */
@Command(name = "info", description = "Show the repositories known, local content, or details of a file or remote.")
final class InfoCommand extends RepoCommand {
    @Parameters(arity = "0..1", paramLabel = "FILE|REMOTE", description = "An annexed file or a remote's name.")
    String target;

    @Override
    boolean writes() {
        return false;
    }

    @Override
    int run(AnnexRepo repo, Reporter reporter) throws RepoException {
        if (target == null) {
            print(reporter, repoInfo(repo.info()));
            return ExitCode.OK;
        }
        Optional<RemoteInfo> remote = repo.remoteInfo(target);
        if (remote.isPresent()) {
            print(reporter, remoteInfo(remote.get()));
            return ExitCode.OK;
        }
        for (AnnexedFile f : repo.annexedFiles(List.of(cwd().resolve(Path.of(target)).normalize()))) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("command", "info " + target);
            o.put("file", f.path());
            o.put("key", f.key().serialize());
            o.put("present", repo.hasContent(f.key()));
            f.key().size().ifPresent(s -> o.put("size", Sizes.human(s)));
            o.put("success", true);
            print(reporter, o);
        }
        return ExitCode.OK;
    }

    private static Map<String, Object> repoInfo(RepoInfo info) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("command", "info");
        o.put("trusted repositories", entries(info.trusted()));
        o.put("semitrusted repositories", entries(info.semitrusted()));
        o.put("untrusted repositories", entries(info.untrusted()));
        o.put("transfers in progress", List.of());
        o.put("available local disk space", Sizes.human(info.availableDiskSpace()));
        o.put("local annex keys", info.localKeys());
        o.put("local annex size", Sizes.human(info.localSize()));
        o.put("annexed files in working tree", info.annexedFiles());
        o.put("size of annexed files in working tree", Sizes.human(info.annexedSize()));
        o.put("backend usage", info.backendUsage());
        o.put("success", true);
        return o;
    }

    private static Map<String, Object> remoteInfo(RemoteInfo r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("command", "info " + r.name());
        o.put("uuid", r.uuid().map(Object::toString).orElse(""));
        o.put("description", r.description());
        o.put("trust", r.trust());
        o.put("remote", r.name());
        o.put("cost", String.valueOf(r.cost()));
        o.put("type", "git");
        o.put("repository location", r.location());
        o.put("remote annex keys", r.keys());
        o.put("remote annex size", Sizes.human(r.size()));
        o.put("success", true);
        return o;
    }

    private static List<Map<String, Object>> entries(List<RepositoryEntry> list) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RepositoryEntry e : list) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("description", e.description());
            m.put("here", e.here());
            m.put("uuid", e.uuid().value());
            out.add(m);
        }
        return out;
    }

    /** JSON as is; for a person, git-annex's {@code name: value} lines with repository lists indented. */
    private static void print(Reporter reporter, Map<String, Object> o) {
        if (reporter.json()) {
            reporter.object(o);
            return;
        }
        for (var e : o.entrySet()) {
            if (e.getKey().equals("command") || e.getKey().equals("success")) {
                continue;
            }
            reporter.human((e.getKey() + ": " + human(e.getKey(), e.getValue())).replace(": \n", ":\n"));
        }
    }

    private static String human(String key, Object value) {
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                return key.equals("transfers in progress") ? "none" : "0";
            }
            StringBuilder sb = new StringBuilder().append(list.size());
            for (Object item : list) {
                Map<?, ?> m = (Map<?, ?>) item;
                sb.append("\n\t").append(m.get("uuid")).append(" -- ").append(m.get("description"));
                if (Boolean.TRUE.equals(m.get("here"))) {
                    sb.append(" [here]");
                }
            }
            return sb.toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder sb = new StringBuilder();
            map.forEach((k, v) -> sb.append("\n\t").append(k).append(": ").append(v));
            return sb.toString();
        }
        return String.valueOf(value);
    }
}
