package io.annexsync.netmap.map;

import io.annexsync.netmap.graph.RepoId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line format of the file each repository publishes in the git-annex branch, {@code annex-sync/links/UUID.log}:
 * one self-describing line per link, in git-annex's map-log layout ({@code TS FIELD VALUE}, FORMAT.md §5.2):
 *
 * <pre>
 * 1795444480.037129475s 5f3c1c3e-6a1e-4a6e-9c1f-2b7a8d1e0f42 9b2e47d0-1c55-4d0e-8f7a-3c1d2e4f5a6b 100
 * </pre>
 *
 * <p>That is the time the publisher last saw the link (POSIX seconds written as git-annex writes them: up to nine
 * fraction digits without trailing zeros, then {@code s}), the sending and the receiving repository, and the cost.
 * Every line stands alone, so git-annex's union merge (§5.3: the lines of every version, de-duplicated and sorted
 * bytewise) keeps the file meaningful: {@link #parse} reads the union of several versions and keeps, per link, the
 * newest line ({@link LinkRecord#NEWEST_LAST}); lines it does not understand are skipped, as git-annex does, which
 * leaves room for later formats. {@link #format} compacts (newest line per link) and writes the lines sorted
 * bytewise, so writing the same records always gives the same blob and a union with an identical version is a
 * no-op. A link the publisher no longer has is not deleted: it stops being refreshed and goes stale.
 *
 * <p>Stateless and thread-safe.
 */
public final class LinkLogCodec {

    /** The folder of annex-sync's own files in the git-annex branch that holds the link logs. */
    public static final String FOLDER = "annex-sync/links/";

    private static final String SUFFIX = ".log";
    private static final Pattern LINE = Pattern.compile(
            "(\\d{1,12})(?:\\.(\\d{1,12}))?s? ([0-9a-f-]{36}) ([0-9a-f-]{36}) (\\d{1,18})");
    private static final Pattern LINE_BREAKS = Pattern.compile("[\r\n]+");
    private static final Pattern PATH = Pattern.compile(Pattern.quote(FOLDER) + "([0-9a-f-]{36})" + SUFFIX);

    private LinkLogCodec() {
    }

    /**
     * The path of a publisher's link log in the git-annex branch.
     *
     * @param publisher the publishing repository
     * @return {@code annex-sync/links/UUID.log}
     */
    public static String path(RepoId publisher) {
        return FOLDER + Objects.requireNonNull(publisher, "publisher").uuid() + SUFFIX;
    }

    /**
     * The publisher of a link log, from its path in the git-annex branch.
     *
     * @param path a path in the git-annex branch
     * @return the publisher; empty if the path is not a link log
     */
    public static Optional<RepoId> publisher(String path) {
        Matcher m = PATH.matcher(Objects.requireNonNull(path, "path"));
        return m.matches() ? parseRepo(m.group(1)) : Optional.empty();
    }

    /**
     * Writes a link log: the newest record per link, one line each, sorted bytewise, each line ending in
     * {@code \n}.
     *
     * @param records the records to publish; several for one link are compacted to the newest
     * @return the file's text; empty if there are no records
     */
    public static String format(Collection<LinkRecord> records) {
        NetworkMap compacted = NetworkMap.builder().records(records).build();
        TreeSet<String> lines = new TreeSet<>();
        for (LinkRecord r : compacted.records()) {
            lines.add(timestamp(r.seen()) + " " + r.from().uuid() + " " + r.to().uuid() + " " + r.cost());
        }
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }

    /**
     * Reads a link log, possibly the union of several versions: the newest record per link, bad lines skipped.
     *
     * @param text the file's text
     * @return the records, ordered by {@code from} then {@code to}
     */
    public static List<LinkRecord> parse(String text) {
        List<LinkRecord> all = new ArrayList<>();
        for (String line : LINE_BREAKS.split(Objects.requireNonNull(text, "text"))) {
            parseLine(line).ifPresent(all::add);
        }
        return NetworkMap.builder().records(all).build().records();
    }

    /**
     * Reads one line of a link log.
     *
     * @param line a line, without its line break
     * @return the record; empty if the line is not a valid link line
     */
    public static Optional<LinkRecord> parseLine(String line) {
        Matcher m = LINE.matcher(Objects.requireNonNull(line, "line"));
        if (!m.matches()) {
            return Optional.empty();
        }
        Optional<RepoId> from = parseRepo(m.group(3));
        Optional<RepoId> to = parseRepo(m.group(4));
        if (from.isEmpty() || to.isEmpty() || from.equals(to)) {
            return Optional.empty();
        }
        Instant seen = Instant.ofEpochSecond(Long.parseLong(m.group(1)), nanos(m.group(2)));
        return Optional.of(new LinkRecord(from.get(), to.get(), Long.parseLong(m.group(5)), seen));
    }

    /**
     * Writes an instant as git-annex writes timestamps: {@code 1795444480.037129475s}, {@code 1000s}.
     *
     * @param instant a time at or after the epoch
     * @return the timestamp text
     */
    public static String timestamp(Instant instant) {
        if (Objects.requireNonNull(instant, "instant").getEpochSecond() < 0) {
            throw new IllegalArgumentException("a link log timestamp cannot precede the epoch: " + instant);
        }
        if (instant.getNano() == 0) {
            return instant.getEpochSecond() + "s";
        }
        String fraction = String.format("%09d", instant.getNano()).replaceFirst("0+$", "");
        return instant.getEpochSecond() + "." + fraction + "s";
    }

    private static int nanos(String fraction) {
        if (fraction == null) {
            return 0;
        }
        String nine = (fraction + "000000000").substring(0, 9);
        return Integer.parseInt(nine);
    }

    private static Optional<RepoId> parseRepo(String uuid) {
        try {
            return Optional.of(RepoId.of(uuid));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
