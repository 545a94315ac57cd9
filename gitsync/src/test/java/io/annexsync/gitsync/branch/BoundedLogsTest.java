package io.annexsync.gitsync.branch;

import static org.assertj.core.api.Assertions.assertThat;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logs from a peer are read within bounds (FORMAT.md §5.1: lines that do not parse are skipped, not fatal): a 10 MB
 * line, a timestamp of millions of digits, a huge value, each parsed in well under a second, skipped, and reported
 * with its line number and the reason.
 */
class BoundedLogsTest {
    private static final String U = "aaaaaaaa-0000-0000-0000-000000000000";
    private static final String DIGITS = "1".repeat(10 * 1024 * 1024);

    private static long millis(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    @Test
    @Timeout(30)
    void aTenMegabyteTimestampInALocationLogIsSkippedAndReportedQuickly() {
        String content = "1500000000s 1 " + U + "\n" + DIGITS + "s 1 bbbbbbbb\n";
        PresenceLog[] log = new PresenceLog[1];
        long took = millis(() -> log[0] = PresenceLog.parse(content));
        assertThat(took).as("ms to parse").isLessThan(1000);
        assertThat(log[0].present()).containsExactly(U);
        assertThat(log[0].skipped()).singleElement().satisfies(m -> {
            assertThat(m.number()).isEqualTo(2);
            assertThat(m.reason()).contains("10485772 characters").contains("at most 65536");
        });
        assertThat(log[0].format()).isEqualTo("1500000000s 1 " + U + "\n");
    }

    @Test
    @Timeout(30)
    void aTenMegabyteTimestampInUuidLogIsSkippedAndReportedQuickly() {
        String content = U + " laptop timestamp=" + DIGITS + "s\nbbbbbbbb desk timestamp=5s\n";
        UuidLog[] log = new UuidLog[1];
        long took = millis(() -> log[0] = UuidLog.parse(content));
        assertThat(took).as("ms to parse").isLessThan(1000);
        assertThat(log[0].values()).containsOnlyKeys(new Uuid("bbbbbbbb"));
        assertThat(log[0].skipped()).extracting(MalformedLine::number).containsExactly(1);
    }

    @Test
    @Timeout(30)
    void longTimestampsThatFitOnALineAreRefusedWithoutBigArithmetic() {
        String digits = "9".repeat(60_000);
        long took = millis(() -> {
            assertThat(Timestamp.parse(digits + "s")).isEmpty();
            assertThat(Timestamp.parse("1." + digits + "s")).isEmpty();
            assertThat(ValueLog.parse(digits + "s 2\n").current()).isEmpty();
            assertThat(MapLog.parse("1." + digits + " annex.largefiles anything\n").values()).isEmpty();
        });
        assertThat(took).as("ms").isLessThan(1000);
        assertThat(Timestamp.parse("12345678901234567890.123456789012345s")).isPresent();
        assertThat(ValueLog.parse(digits + "s 2\n").skipped()).singleElement()
                .satisfies(m -> assertThat(m.reason()).contains("does not parse"));
    }

    @Test
    void linesThatDoNotParseAreReportedWithTheirNumberAndAShortExcerpt() {
        PresenceLog log = PresenceLog.parse("garbage\n1s 1 U\n\n\r\nxs 1 " + "y".repeat(500) + "\n");
        assertThat(log.present()).containsExactly("U");
        assertThat(log.skipped()).extracting(MalformedLine::number).containsExactly(1, 3);
        assertThat(log.skipped().get(1).reason()).hasSizeLessThan(120).contains("xs 1 yyy");
        assertThat(PresenceLog.parse("1s 1 U\n").skipped()).isEmpty();
    }

    @Test
    void manyShortLinesStayLinear() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            sb.append(i).append("s 1 ").append(i % 7 == 0 ? "x y" : "u" + i).append('\n');
        }
        String content = sb.toString();
        long took = millis(() -> assertThat(PresenceLog.parse(content).lines()).hasSize(200_000));
        assertThat(took).as("ms for 200,000 lines").isLessThan(5000);
    }

    @TempDir
    Path tmp;

    /**
     * A peer's git-annex branch (a sibling ref) with a 10 MB timestamp line in a location log and a uuid.log of 20 MB:
     * whereis-style reads and the union merge finish quickly, keep every good line, and never load the 20 MB blob.
     */
    @Test
    @Timeout(60)
    void aPeersHugeLineAndHugeFileAreSkippedWhenReadAndMerged() throws Exception {
        Uuid here = new Uuid("aaaaaaaa-1111-4111-8111-111111111111");
        Key key = Key.parse("SHA256E-s3--ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.txt")
                .orElseThrow();
        try (Repository ours = BranchRepos.init(tmp.resolve("ours")); Repository peer = BranchRepos.init(
                tmp.resolve("peer"))) {
            AnnexBranch branch = BranchRepos.branch(ours);
            branch.create(here, "ours");
            branch.setLocation(key, here, true);
            branch.commitJournal("update");
            String location = AnnexBranch.locationLog(key);
            String bigUuidLog = ("bbbbbbbb desc timestamp=1s\n").repeat(20 * 1024 * 1024 / 27 + 1);
            commitPeerBranch(peer, Map.of(location, "1500000000s 1 cccccccc\n" + DIGITS + "s 1 dddddddd\n",
                    "uuid.log", bigUuidLog));
            BranchRepos.fetchBranch(ours, peer, "refs/remotes/peer/git-annex");

            long took = millis(() -> {
                try {
                    assertThat(branch.locations(key)).extracting(Uuid::value)
                            .containsExactly(here.value(), "cccccccc");
                    assertThat(branch.descriptions()).containsOnlyKeys(here);
                    branch.mergeSiblings();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(took).as("ms to read and merge").isLessThan(10_000);
            assertThat(AnnexBranchTest.show(ours, "uuid.log")).doesNotContain("bbbbbbbb");
            assertThat(branch.locations(key)).extracting(Uuid::value).containsExactly(here.value(), "cccccccc");
        }
    }

    private static void commitPeerBranch(Repository peer, Map<String, String> files) throws Exception {
        try (ObjectInserter ins = peer.newObjectInserter()) {
            Map<String, BranchTrees.Entry> entries = new TreeMap<>();
            for (Map.Entry<String, String> f : files.entrySet()) {
                ObjectId blob = ins.insert(Constants.OBJ_BLOB, f.getValue().getBytes(StandardCharsets.UTF_8));
                entries.put(f.getKey(), BranchTrees.Entry.regular(blob));
            }
            ObjectId tree = BranchTrees.write(ins, entries);
            BranchCommitter committer = new BranchCommitter(peer, BranchRepos.CLOCK);
            ObjectId commit = committer.commit(ins, tree, List.of(), "peer");
            ins.flush();
            committer.updateRef(Optional.empty(), commit, "peer");
        }
    }
}
