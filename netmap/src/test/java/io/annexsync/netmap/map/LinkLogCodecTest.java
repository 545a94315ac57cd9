package io.annexsync.netmap.map;

import static io.annexsync.netmap.testing.Ids.rec;
import static io.annexsync.netmap.testing.Ids.repo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LinkLogCodecTest {

    private static final String A = "00000000-0000-0000-0000-000000000001";
    private static final String B = "00000000-0000-0000-0000-000000000002";

    @Test
    void formatsOneSortedLinePerLinkWithGitAnnexTimestamps() {
        LinkRecord fraction = new LinkRecord(repo(2), repo(1), 200, Instant.ofEpochSecond(1795444480, 37129475));
        String text = LinkLogCodec.format(List.of(fraction, rec(1, 2, 100)));
        assertThat(text).isEqualTo("1767225600s " + A + " " + B + " 100\n"
                + "1795444480.037129475s " + B + " " + A + " 200\n");
    }

    @Test
    void roundTripsAndFormatsTheSameWhateverTheInputOrder() {
        Random random = new Random(5);
        for (int run = 0; run < 100; run++) {
            List<LinkRecord> records = randomRecords(random);
            String text = LinkLogCodec.format(records);
            Collections.shuffle(records, random);
            assertThat(LinkLogCodec.format(records)).isEqualTo(text);
            assertThat(LinkLogCodec.format(LinkLogCodec.parse(text))).isEqualTo(text);
            assertThat(LinkLogCodec.parse(text)).isEqualTo(NetworkMap.builder().records(records).build().records());
        }
    }

    @Test
    void readsTheUnionOfTwoVersionsNewestLineWinning() {
        String old = LinkLogCodec.format(List.of(rec(1, 2, 100, 0), rec(1, 3, 100, 0)));
        String updated = LinkLogCodec.format(List.of(rec(1, 2, 50, 60), rec(1, 4, 200, 60)));
        String union = unionMerge(old, updated);
        assertThat(union.lines()).hasSize(4);
        assertThat(LinkLogCodec.parse(union)).containsExactly(rec(1, 2, 50, 60), rec(1, 3, 100, 0),
                rec(1, 4, 200, 60));
        assertThat(LinkLogCodec.parse(unionMerge(updated, old))).isEqualTo(LinkLogCodec.parse(union));
        assertThat(LinkLogCodec.format(LinkLogCodec.parse(union)).lines()).hasSize(3);
    }

    @Test
    void unionWithAnIdenticalVersionChangesNothing() {
        String text = LinkLogCodec.format(List.of(rec(1, 2, 100), rec(2, 1, 100, 5)));
        assertThat(unionMerge(text, text)).isEqualTo(text);
    }

    @Test
    void skipsLinesItDoesNotUnderstand() {
        String text = "garbage\n"
                + "\r\n"
                + "1000s " + A + " " + B + " -5\n"
                + "1000s " + A + " " + A + " 5\n"
                + "1000s " + A + " not-a-uuid-but-thirty-six-characters 5\n"
                + "1000s " + A + " " + B + " 5 extra\n"
                + "1000.5 " + A + " " + B + " 7\r\n";
        assertThat(LinkLogCodec.parse(text))
                .containsExactly(new LinkRecord(repo(1), repo(2), 7, Instant.ofEpochSecond(1000, 500_000_000)));
    }

    @Test
    void acceptsTwelveFractionDigitsAndTruncatesToNanoseconds() {
        assertThat(LinkLogCodec.parseLine("12.123456789999 " + A + " " + B + " 1").orElseThrow().seen())
                .isEqualTo(Instant.ofEpochSecond(12, 123456789));
        assertThat(LinkLogCodec.timestamp(Instant.ofEpochSecond(12, 500_000_000))).isEqualTo("12.5s");
    }

    @Test
    void mapsPublishersToPathsAndBack() {
        assertThat(LinkLogCodec.path(repo(1))).isEqualTo("annex-sync/links/" + A + ".log");
        assertThat(LinkLogCodec.publisher(LinkLogCodec.path(repo(1)))).contains(repo(1));
        assertThat(LinkLogCodec.publisher("uuid.log")).isEmpty();
        assertThat(LinkLogCodec.publisher("annex-sync/links/x.log")).isEmpty();
    }

    /** git-annex's union merge (FORMAT.md §5.3): the lines of both versions, de-duplicated, sorted bytewise. */
    static String unionMerge(String left, String right) {
        TreeSet<String> lines = new TreeSet<>(left.lines().toList());
        lines.addAll(right.lines().toList());
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }

    private static List<LinkRecord> randomRecords(Random random) {
        List<LinkRecord> records = new ArrayList<>();
        int count = random.nextInt(12);
        for (int i = 0; i < count; i++) {
            int from = random.nextInt(5);
            int to = (from + 1 + random.nextInt(4)) % 5;
            Instant seen = Instant.ofEpochSecond(1_700_000_000L + random.nextInt(1000), random.nextInt(3) * 1000L);
            records.add(new LinkRecord(repo(from), repo(to), random.nextInt(500), seen));
        }
        return records;
    }
}
