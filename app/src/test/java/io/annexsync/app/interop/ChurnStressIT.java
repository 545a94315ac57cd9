package io.annexsync.app.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three folders, each the other two's path remote, each with its daemon in a JVM of its own, under churn: one {@link
 * ChurnWriter} per folder creates, rewrites, appends to, renames and deletes files while one daemon at a time is
 * killed with {@code kill -9} at random moments (while it commits, while it merges, or any time: it pushes into its
 * peers all the time) and started again. Each round then checks, with the writers stopped: the daemon starts again
 * (no lock left by the killed one stops it), the three folders converge, every content last written somewhere is in
 * every folder (at its path, or as a conflict variant of it), no path a writer deleted or renamed away comes back,
 * and the daemons go quiet (none keeps committing what no one did). At the end they stop within their bound and
 * leave no git lock file behind.
 *
 * <p>Runs only when {@code -Dstress.rounds=N} is given (an open bug it finds is tracked in issue 17, item 7):
 * {@code -Dstress.rounds=N} rounds on the same daemons; {@code -Dstress.seconds=S} (default 15) of
 * writing per round; {@code -Dstress.kills=K} (default 2) kills per round; {@code -Dstress.seed=L} the random seed
 * (default: the time; printed, so a failing run can be repeated).
 */
class ChurnStressIT {
    private static final int ROUNDS = Integer.getInteger("stress.rounds", 1);
    private static final int SECONDS = Integer.getInteger("stress.seconds", 15);
    private static final int KILLS = Integer.getInteger("stress.kills", 2);
    private static final long SEED = Long.getLong("stress.seed", System.nanoTime());
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final Duration QUIET = Duration.ofSeconds(6);
    /** After the writers stop, how long their last changes may take to be committed. */
    private static final Duration LATE = Duration.ofSeconds(20);
    private static final List<String> ACTIVITIES = List.of("committing", "merging", "any");

    @TempDir
    Path tmp;

    private DaemonFolders f;
    private ExecutorService writers;
    private final Random random = new Random(SEED);
    private final Path[] dirs = new Path[3];
    private final Daemon[] daemons = new Daemon[3];

    @BeforeEach
    void mesh() throws IOException {
        assumeTrue(System.getProperty("stress.rounds") != null, "skipped unless -Dstress.rounds=N is given: it still "
                + "finds an open bug (issue 17 item 7: a daemon killed while it checks out a merge commits the files "
                + "the merge wrote as its own additions, so a path a peer deleted later comes back; seen with "
                + "-Dstress.seed=8735823855281), and the test suite must not fail on a bug that is tracked");
        System.out.println("churn: seed " + SEED + " (-Dstress.seed=" + SEED + " repeats it)");
        f = new DaemonFolders(tmp, SEED);
        writers = Executors.newFixedThreadPool(3, r -> new Thread(r, "churn-writer"));
        for (int i = 0; i < 3; i++) {
            dirs[i] = f.folder("r" + i);
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (i != j) {
                    DaemonFolders.link(dirs[i], "r" + j, dirs[j]);
                }
            }
        }
        for (int i = 0; i < 3; i++) {
            daemons[i] = f.start("r" + i, dirs[i]);
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (writers != null) { // null when skipped
            writers.shutdownNow();
            f.close();
        }
    }

    @Test
    void threeDaemonsUnderChurnAndKillNineConvergeWithNothingLost() throws Exception {
        Map<String, String> expected = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            long start = System.nanoTime();
            expected.putAll(churn(round));
            long stopped = System.currentTimeMillis() / 1000;
            Outcome o = converge(expected, stopped);
            System.out.printf("churn: round %d of %d: %d paths, %s in %d ms; %d versions lost, %d paths back, "
                    + "quiet %s%n", round, ROUNDS, expected.size(), o.converged ? "converged" : "NOT converged",
                    (System.nanoTime() - start) / 1_000_000, o.lost.size(), o.unexpected.size(), o.quiet);
            if (!o.ok()) {
                failures.add("round " + round + ": " + o);
                break; // the folders are in a state the next round cannot start from
            }
        }
        for (int i = 0; i < 3; i++) {
            f.forget(daemons[i]);
            daemons[i].stop(); // within 60 s, exit 0 or 143
        }
        for (Path dir : dirs) {
            List<String> locks = lockFiles(dir);
            if (!locks.isEmpty()) {
                failures.add(dir.getFileName() + " kept lock files after its daemon stopped: " + locks);
            }
        }
        assertThat(failures).as("seed %d; daemons' logs under %s", SEED, tmp.resolve("logs")).isEmpty();
    }

    /** One round: the writers work for {@link #SECONDS} while daemons are killed and started again; what they wrote. */
    private Map<String, String> churn(int round) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<ChurnWriter> ws = new ArrayList<>();
        List<Future<Integer>> running = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ChurnWriter w = new ChurnWriter(dirs[i], "round-" + round + "/w" + i, SEED * 31 + round * 3 + i,
                    tmp.resolve("logs/writer-r" + i + "-round-" + round + ".log"));
            ws.add(w);
            running.add(writers.submit(() -> w.run(stop)));
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        for (int k = 0; k < KILLS; k++) {
            long slot = (end - System.nanoTime()) / (KILLS - k);
            awaitTime(System.nanoTime() + (long) (slot * (0.2 + 0.6 * random.nextDouble())));
            killAndRestart(random.nextInt(3), ACTIVITIES.get(random.nextInt(ACTIVITIES.size())));
        }
        awaitTime(end);
        stop.set(true);
        Map<String, String> written = new TreeMap<>();
        for (int i = 0; i < 3; i++) {
            int ops = running.get(i).get(30, TimeUnit.SECONDS);
            written.putAll(ws.get(i).expected());
            System.out.printf("churn: round %d: writer %d did %d operations, %d paths left%n", round, i, ops,
                    ws.get(i).expected().size());
        }
        return written;
    }

    /** Kills daemon {@code i} with {@code -9} while it shows {@code activity} (or within 3 s), then starts it again. */
    private void killAndRestart(int i, String activity) throws Exception {
        Daemon d = daemons[i];
        String seen = "any";
        if (!activity.equals("any")) {
            try {
                seen = await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(5))
                        .until(() -> d.status().map(s -> s.get("activity").getAsString()).orElse(""),
                                activity::equals);
            } catch (ConditionTimeoutException e) {
                seen = "(no " + activity + " seen within 3 s)";
            }
        }
        d.kill();
        f.forget(d);
        System.out.printf("churn: killed r%d (pid %d) while %s%n", i, d.pid(), seen);
        daemons[i] = f.start("r" + i, dirs[i]); // fails when its start-up cannot run (a lock of the killed one)
    }

    /** Waits until the folders agree, then checks what they hold against what was written, then that they are quiet. */
    private Outcome converge(Map<String, String> expected, long writersStopped) {
        boolean converged = true;
        try {
            f.awaitSame(PATIENCE, dirs);
        } catch (ConditionTimeoutException | AssertionError e) {
            converged = false;
        }
        List<String> lost = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        for (Path dir : dirs) {
            Map<String, String> tree = contents(dir);
            expected.forEach((path, hash) -> {
                if (!hash.equals(tree.get(path)) && !inVariant(tree, path, hash)) {
                    lost.add(dir.getFileName() + ":" + path + " (" + hash.substring(0, 8) + ", found "
                            + (tree.containsKey(path) ? tree.get(path).substring(0, 8) : "nothing") + ")");
                }
            });
            tree.keySet().stream().filter(p -> !expected.containsKey(p) && !isVariantOfExpected(p, expected))
                    .forEach(p -> unexpected.add(dir.getFileName() + ":" + p));
        }
        boolean quiet = converged && quiet();
        String late = "";
        if (!(converged && lost.isEmpty() && unexpected.isEmpty() && quiet)) {
            late = lateCommits(writersStopped + LATE.toSeconds());
        }
        return new Outcome(converged, lost, unexpected, quiet, late + (converged ? "" : threads() + f.logs()));
    }

    /** Whether no daemon moves its branch for {@link #QUIET} (bounded by a minute). */
    private boolean quiet() {
        try {
            Map<Path, String> heads = new TreeMap<>();
            await().during(QUIET).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                boolean same = true;
                for (Path d : dirs) {
                    String head = f.tools().git(d, "rev-parse", "HEAD").strip();
                    same &= head.equals(heads.put(d, head));
                }
                return same;
            });
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /**
     * The commits other than merges each folder made {@link #LATE} or more after the writers stopped: no one changed
     * anything then, so each is a commit of what no user did (with the paths it changed, to tell why).
     */
    private String lateCommits(long since) {
        StringBuilder out = new StringBuilder();
        for (Path d : dirs) {
            String log = f.tools().git(d, "log", "--no-merges", "--since=@" + since, "--name-status",
                    "--format=%h %ci %s");
            out.append("commits of ").append(d.getFileName()).append(" made ").append(LATE.toSeconds())
                    .append(" s or more after the writers stopped:\n")
                    .append(log.length() > 6000 ? log.substring(0, 6000) + "..." : log).append('\n');
        }
        return out.toString();
    }

    /** The stacks of each daemon's own threads and JGit's: where one that does not converge waits. */
    private String threads() {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            out.append("threads of r").append(i).append(" (pid ").append(daemons[i].pid()).append("):\n");
            try {
                Process p = new ProcessBuilder(jcmd.toString(), Long.toString(daemons[i].pid()), "Thread.print")
                        .redirectErrorStream(true).start();
                String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(30, TimeUnit.SECONDS);
                for (String t : dump.split("\n\n")) {
                    if (t.startsWith("\"annex-sync-") || t.startsWith("\"JGit")) {
                        out.append(t).append("\n\n");
                    }
                }
            } catch (IOException e) {
                out.append("(no thread dump: ").append(e.getMessage()).append(")\n");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return out.toString();
    }

    private static Map<String, String> contents(Path dir) {
        return await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> Oracle.contents(dir), t -> true);
    }

    /** Whether a conflict variant of {@code path} ({@code f3.variant-XXXX.bin}) holds {@code hash}. */
    private static boolean inVariant(Map<String, String> tree, String path, String hash) {
        return tree.entrySet().stream().anyMatch(e -> e.getValue().equals(hash) && isVariantOf(e.getKey(), path));
    }

    private static boolean isVariantOfExpected(String p, Map<String, String> expected) {
        return p.contains(".variant-") && expected.keySet().stream().anyMatch(e -> isVariantOf(p, e));
    }

    private static boolean isVariantOf(String candidate, String path) {
        String stem = path.endsWith(".bin") ? path.substring(0, path.length() - 4) : path;
        return candidate.startsWith(stem + ".variant-");
    }

    /** The git lock files under {@code dir/.git} (refs, packed refs, index, HEAD, config, gc), not annex-sync's own. */
    private static List<String> lockFiles(Path dir) throws IOException {
        Path git = dir.resolve(".git");
        try (Stream<Path> walk = Files.walk(git)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".lock"))
                    .filter(p -> !git.relativize(p).startsWith("annex"))
                    .filter(p -> !git.relativize(p).startsWith("annex-sync"))
                    .map(p -> git.relativize(p).toString()).toList();
        }
    }

    /** Waits until {@code nanoTime} passes (the writers work meanwhile). */
    private static void awaitTime(long nanoTime) {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            await().pollDelay(Duration.ofNanos(left)).atMost(Duration.ofNanos(left).plusSeconds(5))
                    .until(() -> System.nanoTime() >= nanoTime);
        }
    }

    private record Outcome(boolean converged, List<String> lost, List<String> unexpected, boolean quiet,
            String logs) {
        boolean ok() {
            return converged && lost.isEmpty() && unexpected.isEmpty() && quiet;
        }

        @Override
        public String toString() {
            return (converged ? "converged" : "did not converge within " + PATIENCE) + "; " + lost.size()
                    + " versions last written are in no final tree " + lost.subList(0, Math.min(20, lost.size()))
                    + "; " + unexpected.size() + " paths deleted or renamed away came back "
                    + unexpected.subList(0, Math.min(20, unexpected.size())) + "; " + (quiet ? "quiet" : "not quiet")
                    + (logs.isEmpty() ? "" : "\n" + logs);
        }
    }
}
