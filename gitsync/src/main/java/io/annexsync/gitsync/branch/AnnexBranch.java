package io.annexsync.gitsync.branch;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.HashDirs;
import io.annexsync.gitsync.key.Key;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.internal.storage.file.PackInserter;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The git-annex branch of one repository, read and written as git-annex does (FORMAT.md §5): reads see
 * {@code refs/heads/git-annex} replaced by the journal, union-merged with every unmerged sibling
 * {@code *}{@code /git-annex} ref; writes go to the journal and are committed by {@link #commitJournal};
 * {@link #mergeSiblings} merges the siblings by line union. git-annex's private {@code .git/annex/index},
 * {@code index.lck} and {@code mergedrefs} are never written: git-annex notices a moved branch and catches up by
 * itself.
 *
 * <p>Thread-safe: writers serialise on the journal lock (in this JVM and against git-annex); readers need no lock, as
 * journal files are replaced atomically and refs are read once per call. The repository is not closed here.
 */
public final class AnnexBranch {
    /** Journal commits with more files than this are written as one pack instead of loose objects. */
    private static final int BULK = 64;

    private static final String UUID_LOG = "uuid.log";
    private static final String TRUST_LOG = "trust.log";
    private static final String NUMCOPIES_LOG = "numcopies.log";
    private static final String CONFIG_LOG = "config.log";
    private static final String DIFFERENCE_LOG = "difference.log";

    private final Repository repo;
    private final Clock clock;
    private final Journal journal;
    private final BranchCommitter committer;
    private final BranchWarnings warnings = new BranchWarnings();

    /** The branch of {@code repo}, whose git-annex state directory is {@code annexDir} ({@code .git/annex}). */
    public AnnexBranch(Repository repo, Path annexDir, Clock clock) {
        this.repo = Objects.requireNonNull(repo, "repo");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.journal = new Journal(Objects.requireNonNull(annexDir, "annexDir"));
        this.committer = new BranchCommitter(repo, clock);
    }

    /**
     * Does to the branch what {@code git annex init} does (FORMAT.md §1.4): makes the branch if missing (from the
     * remote branch of origin, or of the only remote that has one, else a new "branch created" root), then records
     * the repository's description in uuid.log and commits it. The caller chooses the description (git-annex's
     * default is {@code user@host:~/path}).
     */
    public void create(Uuid uuid, String description) throws RepoException {
        Objects.requireNonNull(uuid, "uuid");
        String desc = Objects.requireNonNull(description, "description");
        journal.locked(() -> {
            withWriter(this::ensureBranch);
            describe(uuid, desc);
            commitJournal("update");
            return null;
        });
    }

    /** The branch paths the journal holds, not yet committed (by this process or any other), sorted. */
    public List<String> journalPaths() throws RepoException {
        return journal.paths();
    }

    /**
     * The content of a branch file as git-annex sees it, if the file exists: the journal file if there is one, else
     * the branch tip's file, union-merged with the file in every unmerged sibling ref (as git-annex merges siblings,
     * after committing its journal, before it reads anything).
     */
    public Optional<String> read(String path) throws RepoException {
        return readBytes(path).map(b -> new String(b, UTF_8));
    }

    private Optional<byte[]> readBytes(String path) throws RepoException {
        try (ObjectReader reader = repo.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            Optional<RevCommit> tip = tip(walk);
            return readWith(reader, tip, Siblings.unmerged(repo, walk, tip), path);
        } catch (IOException e) {
            throw new RepoException("cannot read " + path + " from the git-annex branch", e);
        }
    }

    private Optional<byte[]> readWith(ObjectReader reader, Optional<RevCommit> tip, List<Siblings.Sibling> siblings,
            String path) throws IOException, RepoException {
        List<byte[]> versions = new ArrayList<>();
        Optional<byte[]> ours = journal.read(path);
        if (ours.isEmpty() && tip.isPresent()) {
            ours = BranchTrees.read(reader, tip.get().getTree(), path, warnings);
        }
        ours.ifPresent(versions::add);
        for (Siblings.Sibling sibling : siblings) {
            BranchTrees.read(reader, sibling.commit().getTree(), path, warnings).ifPresent(versions::add);
        }
        return versions.isEmpty() ? Optional.empty() : Optional.of(UnionMerge.lines(versions));
    }

    /** As {@link #readWith} for many paths, each tree walked once; the paths that exist nowhere are left out. */
    private Map<String, byte[]> readAllWith(ObjectReader reader, Optional<RevCommit> tip,
            List<Siblings.Sibling> siblings, Collection<String> paths) throws IOException, RepoException {
        Map<String, List<byte[]>> versions = new HashMap<>();
        List<String> notJournalled = new ArrayList<>();
        for (String path : paths) {
            Optional<byte[]> ours = journal.read(path);
            if (ours.isPresent()) {
                versions.computeIfAbsent(path, p -> new ArrayList<>()).add(ours.get());
            } else {
                notJournalled.add(path);
            }
        }
        if (tip.isPresent()) {
            BranchTrees.readAll(reader, tip.get().getTree(), notJournalled, warnings)
                    .forEach((path, bytes) -> versions.computeIfAbsent(path, p -> new ArrayList<>()).add(bytes));
        }
        for (Siblings.Sibling sibling : siblings) {
            BranchTrees.readAll(reader, sibling.commit().getTree(), paths, warnings)
                    .forEach((path, bytes) -> versions.computeIfAbsent(path, p -> new ArrayList<>()).add(bytes));
        }
        Map<String, byte[]> merged = new HashMap<>();
        versions.forEach((path, v) -> merged.put(path, UnionMerge.lines(v)));
        return merged;
    }

    /**
     * The files under {@code folder} as git-annex would see them: in the branch tip, in unmerged sibling refs, or
     * only in the journal; sorted. For annex-sync's own folders (for example the network links each repository
     * publishes).
     */
    public List<String> list(String folder) throws RepoException {
        String prefix = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
        Set<String> paths = new TreeSet<>();
        try (ObjectReader reader = repo.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            Optional<RevCommit> tip = tip(walk);
            if (tip.isPresent()) {
                paths.addAll(BranchTrees.list(reader, tip.get().getTree(), prefix));
            }
            for (Siblings.Sibling sibling : Siblings.unmerged(repo, walk, tip)) {
                paths.addAll(BranchTrees.list(reader, sibling.commit().getTree(), prefix));
            }
        } catch (IOException e) {
            throw new RepoException("cannot list " + folder + " in the git-annex branch", e);
        }
        journal.paths().stream().filter(p -> p.startsWith(prefix + "/")).forEach(paths::add);
        return List.copyOf(paths);
    }

    /**
     * Rewrites a branch file through the journal: {@code change} gets the current content as {@link #read} sees it
     * (empty when the file does not exist) and returns the whole new content. Atomic against other writers.
     */
    public void change(String path, UnaryOperator<String> change) throws RepoException {
        journal.locked(() -> {
            String current = read(path).orElse("");
            String changed = Objects.requireNonNull(change.apply(current), "changed content");
            if (!changed.equals(current)) {
                journal.write(path, changed.getBytes(UTF_8));
            }
            return null;
        });
    }

    /** Records in the key's location log whether {@code uuid} has the content, with the vector clock rule. */
    public void setLocation(Key key, Uuid uuid, boolean present) throws RepoException {
        PresenceLog.Status status = present ? PresenceLog.Status.PRESENT : PresenceLog.Status.ABSENT;
        change(locationLog(key), c -> PresenceLog.parse(c).with(uuid.value(), status, clock).format());
    }

    /**
     * Records for many keys at once whether {@code uuid} has their content: one journal lock, one look at the
     * sibling refs, one sync of the journal. What {@code add} uses for thousands of files.
     */
    public void setLocations(Collection<Key> keys, Uuid uuid, boolean present) throws RepoException {
        PresenceLog.Status status = present ? PresenceLog.Status.PRESENT : PresenceLog.Status.ABSENT;
        journal.locked(() -> {
            Map<String, byte[]> changed = new LinkedHashMap<>();
            try (ObjectReader reader = repo.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
                Optional<RevCommit> tip = tip(walk);
                List<Siblings.Sibling> siblings = Siblings.unmerged(repo, walk, tip);
                Map<Key, String> paths = new LinkedHashMap<>();
                keys.forEach(key -> paths.put(key, locationLog(key)));
                Map<String, byte[]> current = readAllWith(reader, tip, siblings, paths.values());
                for (Map.Entry<Key, String> e : paths.entrySet()) {
                    String path = e.getValue();
                    String now = Optional.ofNullable(current.get(path)).map(b -> new String(b, UTF_8)).orElse("");
                    String next = PresenceLog.parse(now).with(uuid.value(), status, clock).format();
                    if (!next.equals(now)) {
                        changed.put(path, next.getBytes(UTF_8));
                    }
                }
            } catch (IOException e) {
                throw new RepoException("cannot read location logs from the git-annex branch", e);
            }
            journal.writeAll(changed);
            return null;
        });
    }

    /** The repositories the key's location log says have its content. */
    public Set<Uuid> locations(Key key) throws RepoException {
        String path = locationLog(key);
        return present(path, read(path).orElse(""));
    }

    /**
     * As {@link #locations(Key)} for many keys, each tree walked once instead of once per key: what a scan of the
     * whole work tree uses. Every key is in the result, with an empty set when nobody has it.
     */
    public Map<Key, Set<Uuid>> locations(Collection<Key> keys) throws RepoException {
        Map<Key, String> paths = new LinkedHashMap<>();
        keys.forEach(key -> paths.put(key, locationLog(key)));
        Map<String, byte[]> logs;
        try (ObjectReader reader = repo.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            Optional<RevCommit> tip = tip(walk);
            logs = readAllWith(reader, tip, Siblings.unmerged(repo, walk, tip), new LinkedHashSet<>(paths.values()));
        } catch (IOException e) {
            throw new RepoException("cannot read location logs from the git-annex branch", e);
        }
        Map<Key, Set<Uuid>> out = new LinkedHashMap<>();
        paths.forEach((key, path) -> out.put(key, present(path, Optional.ofNullable(logs.get(path))
                .map(b -> new String(b, UTF_8)).orElse(""))));
        return out;
    }

    private Set<Uuid> present(String path, String content) {
        Set<Uuid> uuids = new TreeSet<>();
        PresenceLog log = PresenceLog.parse(content);
        warnings.skipped(path, log.skipped());
        log.present().forEach(info -> Uuid.parse(info).ifPresent(uuids::add));
        return uuids;
    }

    /** The branch path of a key's location log: {@code e7d/d01/KEYFILE.log}. */
    public static String locationLog(Key key) {
        return HashDirs.lower(key) + key.keyFile() + ".log";
    }

    /** Sets a repository's description in uuid.log. */
    public void describe(Uuid uuid, String description) throws RepoException {
        change(UUID_LOG, c -> UuidLog.parse(c).with(uuid, description, clock).format());
    }

    /** Every repository's description, from uuid.log. */
    public Map<Uuid, String> descriptions() throws RepoException {
        return uuidLog(UUID_LOG).values();
    }

    /** A uuid-based log as read, its skipped lines reported. */
    private UuidLog uuidLog(String path) throws RepoException {
        UuidLog log = UuidLog.parse(read(path).orElse(""));
        warnings.skipped(path, log.skipped());
        return log;
    }

    /** The trust level of every repository listed in trust.log; the others are {@link TrustLevel#SEMITRUSTED}. */
    public Map<Uuid, TrustLevel> trust() throws RepoException {
        Map<Uuid, TrustLevel> levels = new TreeMap<>();
        uuidLog(TRUST_LOG).values()
                .forEach((uuid, code) -> TrustLevel.ofCode(code).ifPresent(t -> levels.put(uuid, t)));
        return levels;
    }

    /** The repository-wide numcopies setting of numcopies.log, if one is set and readable. */
    public OptionalInt numcopies() throws RepoException {
        ValueLog log = ValueLog.parse(read(NUMCOPIES_LOG).orElse(""));
        warnings.skipped(NUMCOPIES_LOG, log.skipped());
        return log.current()
                .flatMap(line -> parsePositive(line.value()))
                .map(java.util.OptionalInt::of)
                .orElse(OptionalInt.empty());
    }

    private static Optional<Integer> parsePositive(String text) {
        try {
            return Optional.of(Integer.parseInt(text.strip())).filter(n -> n > 0);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The settings of {@code git annex config}, from config.log. */
    public Map<String, String> config() throws RepoException {
        MapLog log = MapLog.parse(read(CONFIG_LOG).orElse(""));
        warnings.skipped(CONFIG_LOG, log.skipped());
        return log.values();
    }

    /**
     * Commits the journal to the branch (FORMAT.md §5.4): the branch's tree plus every journal file, one commit on top
     * of the branch, a compare-and-swap ref update, then the committed journal files are deleted unless they changed
     * meanwhile. Returns the new commit; empty when the journal was empty.
     */
    public Optional<ObjectId> commitJournal(String message) throws RepoException {
        Objects.requireNonNull(message, "message");
        return journal.locked(() -> {
            Map<String, byte[]> contents = new LinkedHashMap<>();
            for (String path : journal.paths()) {
                journal.read(path).ifPresent(b -> contents.put(path, b));
            }
            if (contents.isEmpty()) {
                return Optional.empty();
            }
            ObjectId commit = withWriter(contents.size() > BULK,
                    (reader, inserter, walk) -> commitFiles(contents, message, reader, inserter, walk));
            for (Map.Entry<String, byte[]> e : contents.entrySet()) {
                journal.deleteIfUnchanged(e.getKey(), e.getValue());
            }
            return Optional.of(commit);
        });
    }

    private ObjectId commitFiles(Map<String, byte[]> contents, String message, ObjectReader reader,
            ObjectInserter inserter, RevWalk walk) throws IOException, RepoException {
        RevCommit tip = ensureBranch(reader, inserter, walk);
        Map<String, BranchTrees.Entry> files = BranchTrees.files(reader, tip.getTree());
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
            files.put(e.getKey(), BranchTrees.Entry.regular(inserter.insert(Constants.OBJ_BLOB, e.getValue())));
        }
        ObjectId tree = BranchTrees.write(inserter, files);
        ObjectId commit = committer.commit(inserter, tree, List.of(tip), message);
        inserter.flush();
        committer.updateRef(Optional.of(tip), commit, "annex-sync: " + message);
        return commit;
    }

    /**
     * Union-merges every unmerged sibling ref into the branch (FORMAT.md §5.4, §10.3), after committing the journal:
     * a fast-forward when one of them contains all the others, otherwise a commit with parents
     * {@code [git-annex, siblings...]} and the message {@code merging <names> into git-annex}. Refuses, with nothing
     * changed, when a sibling's difference.log differs from ours.
     */
    public MergeResult mergeSiblings() throws RepoException {
        return journal.locked(() -> {
            commitJournal("update");
            return withWriter((reader, inserter, walk) -> new SiblingMerge(repo, committer, walk, inserter, warnings)
                    .merge(ensureBranch(reader, inserter, walk)));
        });
    }

    /**
     * Union-merges the trees of any commits in core and returns the merged tree; nothing else changes. The union
     * merge of {@link #mergeSiblings}, for callers that make their own commits.
     */
    public ObjectId unionMerge(List<ObjectId> commits) throws RepoException {
        return UnionMerge.trees(repo, commits, warnings);
    }

    /** The set of tunings recorded in difference.log of a commit (empty when absent). */
    static Set<String> differences(ObjectReader reader, RevCommit commit, BranchWarnings warnings)
            throws IOException {
        String content = BranchTrees.read(reader, commit.getTree(), DIFFERENCE_LOG, warnings)
                .map(b -> new String(b, UTF_8)).orElse("");
        UuidLog log = UuidLog.parse(content);
        warnings.skipped(DIFFERENCE_LOG, log.skipped());
        return new TreeSet<>(log.values().values());
    }

    private Optional<RevCommit> tip(RevWalk walk) throws IOException {
        Ref ref = repo.exactRef(BranchCommitter.REF);
        return ref == null || ref.getObjectId() == null
                ? Optional.empty()
                : Optional.of(walk.parseCommit(ref.getObjectId()));
    }

    /** The branch tip, making the branch first when it does not exist. Call under the journal lock. */
    private RevCommit ensureBranch(ObjectReader reader, ObjectInserter inserter, RevWalk walk)
            throws IOException, RepoException {
        Optional<RevCommit> tip = tip(walk);
        if (tip.isPresent()) {
            return tip.get();
        }
        Optional<Ref> start = startingPoint();
        ObjectId commit = start.isPresent()
                ? start.get().getObjectId()
                : committer.commit(inserter, BranchTrees.write(inserter, Map.of()), List.of(), "branch created");
        inserter.flush();
        committer.updateRef(Optional.empty(), commit, "annex-sync: branch created");
        return walk.parseCommit(commit);
    }

    /** The remote git-annex branch to start ours from: origin's, else the only remote's. */
    private Optional<Ref> startingPoint() throws IOException {
        List<Ref> remote = repo.getRefDatabase().getRefsByPrefix(Constants.R_REMOTES).stream()
                .filter(r -> r.getName().matches("refs/remotes/[^/]+/git-annex") && r.getObjectId() != null)
                .toList();
        Optional<Ref> origin = remote.stream().filter(r -> r.getName().equals("refs/remotes/origin/git-annex"))
                .findFirst();
        return origin.isPresent() || remote.size() != 1 ? origin : Optional.of(remote.get(0));
    }

    @FunctionalInterface
    private interface Writer<T> {
        T write(ObjectReader reader, ObjectInserter inserter, RevWalk walk) throws IOException, RepoException;
    }

    private <T> T withWriter(Writer<T> work) throws RepoException {
        return withWriter(false, work);
    }

    private ObjectInserter bulkInserter() {
        if (repo.getObjectDatabase() instanceof ObjectDirectory dir) {
            PackInserter pack = dir.newPackInserter();
            pack.checkExisting(false);
            return pack;
        }
        return repo.newObjectInserter();
    }

    /**
     * Runs {@code work} with an inserter, a reader of what it inserted, and a walk. A bulk write (thousands of
     * location logs after a big add) goes into one pack: as loose objects each would cost a file, a rename and a
     * look through the pack directory.
     */
    private <T> T withWriter(boolean bulk, Writer<T> work) throws RepoException {
        try (ObjectInserter inserter = bulk ? bulkInserter() : repo.newObjectInserter();
                ObjectReader reader = inserter.newReader();
                RevWalk walk = new RevWalk(reader)) {
            return work.write(reader, inserter, walk);
        } catch (IOException e) {
            throw new RepoException("cannot update the git-annex branch: " + e.getMessage(), e);
        }
    }
}
