package io.annexsync.app.cli;

import io.annexsync.app.map.RepoMap;
import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.netmap.plan.TransferPlan;
import io.annexsync.netmap.render.JsonWriter;
import io.annexsync.netmap.render.MapDot;
import io.annexsync.netmap.render.MapJson;
import io.annexsync.netmap.render.MapText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code annex-sync map}: the network map every repository published, and the tree one file's content follows. */
@Command(
        name = "map",
        description = {
            "Show the network map: every repository and the links they published (who can send to whom, at what",
            "cost). With --file or --key, the minimum-cost tree that content follows from the repositories holding",
            "it, and this repository's part in it. See docs/map.md."
        })
final class MapCommand extends RepoCommand {
    @Option(names = "--dot", description = "Print Graphviz dot instead of text.")
    boolean dot;

    @Option(
            names = "--output",
            paramLabel = "FILE",
            description = "With --dot: render to FILE.svg or FILE.png with Graphviz's dot (must be installed).")
    Path output;

    @ArgGroup(exclusive = true)
    Target target;

    static final class Target {
        @Option(names = "--file", paramLabel = "PATH", description = "The tree this annexed file's content follows.")
        Path file;

        @Option(names = "--key", paramLabel = "KEY", description = "The tree this key's content follows.")
        String key;
    }

    @Override
    boolean writes() {
        return false;
    }

    @Override
    int run(AnnexRepo repo, Reporter reporter) throws RepoException {
        try (RepoMap map = RepoMap.load(repo, Clock.systemUTC())) {
            Optional<TransferPlan> plan = key(repo).map(k -> planFor(repo, map, k));
            if (reporter.json()) {
                reporter.raw(JsonWriter.write(MapJson.toJson(map.map(), plan)));
            } else if (dot) {
                String text = MapDot.render(map.map(), plan);
                if (output != null) {
                    render(text, output);
                    reporter.human("map written to " + output);
                } else {
                    reporter.raw(text);
                }
            } else {
                reporter.raw(MapText.render(map.map(), plan));
            }
        }
        return ExitCode.OK;
    }

    private Optional<Key> key(AnnexRepo repo) throws RepoException {
        if (target == null) {
            return Optional.empty();
        }
        if (target.key != null) {
            return Optional.of(Key.of(target.key));
        }
        List<AnnexedFile> files = repo.annexedFiles(List.of(cwd().resolve(target.file).normalize()));
        if (files.size() != 1) {
            throw new IllegalArgumentException(target.file + " is not one annexed file");
        }
        return Optional.of(files.get(0).key());
    }

    private static TransferPlan planFor(AnnexRepo repo, RepoMap map, Key key) {
        try {
            List<RemoteConfig> reachable = repo.remotes().stream()
                    .filter(r -> !r.ignored() && r.reachability(repo.workTree()).known())
                    .toList();
            return map.plan(repo.branch().locations(key), reachable);
        } catch (RepoException e) {
            throw new IllegalStateException("cannot read the location log of " + key + ": " + e.getMessage(), e);
        }
    }

    /** Runs Graphviz's dot to turn the text into an SVG or PNG, by the output's extension. */
    private static void render(String dotText, Path output) throws RepoException {
        String name = output.getFileName().toString();
        String format = name.endsWith(".png") ? "png" : name.endsWith(".svg") ? "svg" : "";
        if (format.isEmpty()) {
            throw new IllegalArgumentException("--output must end in .svg or .png");
        }
        try {
            Process p = new ProcessBuilder("dot", "-T" + format, "-o", output.toString())
                    .redirectErrorStream(true).start();
            p.getOutputStream().write(dotText.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new RepoException("dot failed: " + said.strip());
            }
        } catch (IOException e) {
            throw new RepoException("cannot run Graphviz's dot (apt-get install graphviz): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RepoException("interrupted while rendering the map", e);
        }
    }
}
