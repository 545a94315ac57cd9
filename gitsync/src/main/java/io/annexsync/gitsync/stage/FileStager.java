package io.annexsync.gitsync.stage;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.store.FileStamp;
import io.annexsync.gitsync.store.IngestMode;
import io.annexsync.gitsync.store.ObjectStore;
import io.annexsync.gitsync.store.VerifyResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;

/**
 * Stages one file: decides annex or git, hashes and stores it, and says what its index entry must become. Runs on
 * the stager's pool; each call uses its own inserter and reader, so one instance serves all threads of one run.
 */
final class FileStager {
    /**
     * A file's new index entry and what to remember about it.
     *
     * @param blob the bytes of a small blob (pointer, symlink text) that still has to be written to the object
     *     database; the stager writes them all in one pack
     */
    record Staged(StageOutcome outcome, Optional<CachedStat> cache, Optional<byte[]> blob) {
        Staged(StageOutcome outcome, Optional<CachedStat> cache) {
            this(outcome, cache, Optional.empty());
        }
    }

    /** What hashing a file led to: done, or content waiting to be committed to the store. */
    sealed interface Step permits Done, Pending {}

    /** Nothing left to do for the file. */
    record Done(Staged staged) implements Step {}

    /** Content hashed into a temporary file; {@code finish} runs once the store has committed it. */
    record Pending(ObjectStore.Prepared prepared, Finish finish) implements Step {}

    /** The part of staging a file that needs its content in the store. */
    @FunctionalInterface
    interface Finish {
        Staged apply(Key key) throws IOException, RepoException;
    }

    private final Repository repo;
    private final ObjectStore store;
    private final StageOptions options;
    private final Map<String, CachedStat> cache;
    private final StageProgress progress;
    private final long runStartNanos;

    FileStager(Repository repo, ObjectStore store, StageOptions options, Map<String, CachedStat> cache,
            StageProgress progress, long runStartNanos) {
        this.repo = repo;
        this.store = store;
        this.options = options;
        this.cache = cache;
        this.progress = progress;
        this.runStartNanos = runStartNanos;
    }

    /** The CPU-bound part: stat, decide, hash. Annexed content comes back {@link Pending} for the store. */
    Step stage(WorkTreeScan.Candidate c) throws IOException, RepoException {
        Path file = repo.getWorkTree().toPath().resolve(c.path());
        if (c.path().indexOf('\uFFFD') >= 0 && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            // the JDK read a name that is not valid UTF-8 and replaced its bad bytes: that name opens nothing
            return refused(c, NOT_UTF8);
        }
        FileStamp stamp = FileStamp.of(file);
        Optional<CachedStat> hit = StatCache.valid(Optional.ofNullable(cache.get(c.path())), stamp);
        if (hit.isPresent() && matchesIndex(hit.get(), c.index())) {
            return new Done(unchanged(c.path(), hit.get()));
        }
        if (c.symlink()) {
            return new Done(symlink(c, file, stamp));
        }
        Optional<String> special = SpecialFiles.kind(file);
        if (special.isPresent()) { // a FIFO put in the file's place since the scan: never opened either
            return new Done(new Staged(StageOutcome.problem(c.path(), StageOutcome.Kind.IGNORED,
                    SpecialFiles.why(special.get())), Optional.empty()));
        }
        PointerLike like = pointerLike(file, stamp.size());
        if (like.pointer().isPresent()) {
            return new Done(record(c, file, stamp, regularMode(c), like.bytes(), like.pointer()));
        }
        if (like.appended().isPresent()) {
            return new Done(refused(c, like.appended().get()));
        }
        Optional<Key> staged = stagedPointer(c.index());
        if (staged.isPresent() && isStoredContent(staged.get(), file, stamp)) {
            // content put in place by get or a checkout: hashed where it is, not copied into the store again
            return new Done(record(c, file, stamp, regularMode(c), Pointer.pointerBlob(staged.get()), staged));
        }
        if (staged.isPresent() || options.largeFiles().isLarge(c.path(), stamp.size())) {
            if (options.locked()) {
                return annexLocked(c, file);
            }
            if (c.path().indexOf('\n') >= 0) {
                return refused(c, UNLOCKED_NEWLINE);
            }
            return annexUnlocked(c, file, stamp);
        }
        return new Done(git(c, file, stamp));
    }

    /**
     * Why a name that is not valid UTF-8 is not staged: the JDK decodes file names as UTF-8 ({@code sun.jnu.encoding},
     * which {@code bin/annex-sync} sets through the C.UTF-8 locale) and replaces bad bytes by U+FFFD, so the name it
     * gives opens nothing; under a one-byte locale every name would open, but each would then go to git with other
     * bytes than it has on disk.
     */
    static final String NOT_UTF8 = "its name is not valid UTF-8, which annex-sync cannot read (git and git-annex can);"
            + " rename it";

    /**
     * Why a name with a newline is not annexed unlocked: git-annex's clean filter (which git runs on such a file)
     * cannot look the file up in its database and takes its content for a new file, so git would show it modified
     * forever (git-annex 10.20230126 does the same to the unlocked files it adds). A symlink needs no filter.
     */
    static final String UNLOCKED_NEWLINE = "a file name with a newline cannot be an unlocked annexed file (git-annex's"
            + " filter cannot tell its key, and git would show it modified forever); rename it, or add it locked"
            + " ('annex-sync add --locked', as git-annex adds it)";

    /** A file that cannot be staged as it is, for a reason that holds until the person renames or changes it. */
    private static Done refused(WorkTreeScan.Candidate c, String why) {
        return new Done(new Staged(StageOutcome.problem(c.path(), StageOutcome.Kind.FAILED, why), Optional.empty()));
    }

    private static boolean matchesIndex(CachedStat hit, Optional<DirCacheEntry> index) {
        return index.isPresent() && index.get().getRawMode() == hit.mode()
                && index.get().getObjectId().name().equals(hit.blobId());
    }

    private Staged unchanged(String path, CachedStat hit) {
        long size = hit.key().flatMap(k -> k.size().isPresent() ? Optional.of(k.size().getAsLong()) : Optional.empty())
                .orElse(hit.stamp().size());
        return new Staged(new StageOutcome(path, StageOutcome.Kind.UNCHANGED, hit.key(), size, Optional.empty()),
                Optional.empty());
    }

    private Staged symlink(WorkTreeScan.Candidate c, Path file, FileStamp stamp) throws IOException {
        String target = Files.readSymbolicLink(file).toString();
        byte[] text = target.getBytes(StandardCharsets.UTF_8);
        return record(c, file, stamp, FileMode.SYMLINK.getBits(), text, Pointer.parseLinkTarget(target));
    }

    private Step annexUnlocked(WorkTreeScan.Candidate c, Path file, FileStamp stamp) throws RepoException {
        IngestMode mode = options.thin() ? IngestMode.THIN : IngestMode.COPY;
        ObjectStore.Prepared p = store.prepare(file, options.backend(), c.path(), mode, progress::bytesHashed);
        return new Pending(p,
                key -> record(c, file, stamp, regularMode(c), Pointer.pointerBlob(key), Optional.of(key)));
    }

    private Step annexLocked(WorkTreeScan.Candidate c, Path file) throws RepoException {
        ObjectStore.Prepared p = store.prepare(file, options.backend(), c.path(), IngestMode.MOVE,
                progress::bytesHashed);
        return new Pending(p, key -> lockInPlace(c, file, key));
    }

    /** Replaces the work-tree file by its symlink to the object, now that the object is in the store. */
    private Staged lockInPlace(WorkTreeScan.Candidate c, Path file, Key key) throws IOException {
        String target = file.getParent().relativize(store.objectPath(key)).toString();
        Path tmpLink = repo.getDirectory().toPath().resolve("annex/tmp/link-" + UUID.randomUUID());
        Files.createSymbolicLink(tmpLink, Path.of(target));
        Files.move(tmpLink, file, StandardCopyOption.ATOMIC_MOVE);
        byte[] text = target.getBytes(StandardCharsets.UTF_8);
        return record(c, file, FileStamp.of(file), FileMode.SYMLINK.getBits(), text, Optional.of(key));
    }

    private Staged git(WorkTreeScan.Candidate c, Path file, FileStamp stamp) throws IOException {
        ObjectId blob;
        try (ObjectInserter inserter = repo.newObjectInserter(); InputStream in = Files.newInputStream(file)) {
            blob = inserter.insert(Constants.OBJ_BLOB, stamp.size(), new CountingInputStream(in, progress));
            inserter.flush();
        }
        return staged(c, stamp, regularMode(c), blob, Optional.empty());
    }

    /** A small blob (pointer, symlink text) to stage: its id now, its bytes written later with the others. */
    private Staged record(WorkTreeScan.Candidate c, Path file, FileStamp stamp, int mode, byte[] blobBytes,
            Optional<Key> key) {
        ObjectId blob;
        try (ObjectInserter.Formatter formatter = new ObjectInserter.Formatter()) {
            blob = formatter.idFor(Constants.OBJ_BLOB, blobBytes);
        }
        Staged staged = staged(c, stamp, mode, blob, key);
        boolean known = staged.outcome().kind() == StageOutcome.Kind.UNCHANGED;
        return new Staged(staged.outcome(), staged.cache(), known ? Optional.empty() : Optional.of(blobBytes));
    }

    /** The outcome of a file that was read; UNCHANGED when it came out as the index already has it. */
    private Staged staged(WorkTreeScan.Candidate c, FileStamp stamp, int mode, ObjectId blob, Optional<Key> key) {
        String path = c.path();
        boolean same = c.index().filter(e -> e.getRawMode() == mode && e.getObjectId().equals(blob)).isPresent();
        StageOutcome.Kind kind = same ? StageOutcome.Kind.UNCHANGED
                : key.isPresent() ? StageOutcome.Kind.ANNEXED : StageOutcome.Kind.GIT;
        long size = key.flatMap(k -> k.size().isPresent() ? Optional.of(k.size().getAsLong()) : Optional.empty())
                .orElse(stamp.size());
        CachedStat entry = new CachedStat(path, stamp, mode, blob.name(), key, runStartNanos);
        return new Staged(new StageOutcome(path, kind, key, size, Optional.empty()), Optional.of(entry));
    }

    private static int regularMode(WorkTreeScan.Candidate c) {
        return (c.executable() ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE).getBits();
    }

    /**
     * What a file that begins as a pointer does is: a pointer (content not present here), which stays a pointer; or a
     * pointer with other content appended.
     *
     * @param bytes the whole file, when it is a pointer
     */
    private record PointerLike(Optional<Key> pointer, Optional<Key> appended, byte[] bytes) {
        static final PointerLike NEITHER = new PointerLike(Optional.empty(), Optional.empty(), new byte[0]);
    }

    /** Reads the first bytes of a file that may be a pointer: 15 bytes of any other file. */
    private static PointerLike pointerLike(Path file, long size) throws IOException {
        if (size < Pointer.PREFIX_LENGTH) {
            return PointerLike.NEITHER;
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] prefix = in.readNBytes(Pointer.PREFIX_LENGTH);
            if (!Pointer.startsWithPrefix(prefix)) {
                return PointerLike.NEITHER;
            }
            byte[] rest = in.readNBytes(Pointer.MAX_POINTER_SIZE + 1 - prefix.length);
            head = new byte[prefix.length + rest.length];
            System.arraycopy(prefix, 0, head, 0, prefix.length);
            System.arraycopy(rest, 0, head, prefix.length, rest.length);
        }
        Optional<Key> pointer = Pointer.parsePointer(head);
        return pointer.isPresent() ? new PointerLike(pointer, Optional.empty(), head)
                : new PointerLike(Optional.empty(), Pointer.parseAppended(head), new byte[0]);
    }

    /**
     * The outcome of a pointer file with other content appended: not staged, so the index keeps what it had (better
     * than git-annex, which annexes the pointer and the text as a new version of the file).
     */
    private Staged refused(WorkTreeScan.Candidate c, Key key) {
        return new Staged(StageOutcome.problem(c.path(), StageOutcome.Kind.REFUSED, "it is the pointer file of "
                + key.serialize() + (store.contains(key) ? "" : " (whose content is not here)")
                + " with other content appended; not added, as that "
                + "would replace the real file everywhere: take the appended part out, get the content ('annex-sync "
                + "get " + c.path() + "') and edit the file then, or write the file anew"), Optional.empty());
    }

    /** The key of the pointer staged for this path, when it is already annexed unlocked. */
    private Optional<Key> stagedPointer(Optional<DirCacheEntry> index) throws IOException {
        if (index.isEmpty() || !FileMode.REGULAR_FILE.equals(index.get().getRawMode() & ~0111)) {
            return Optional.empty();
        }
        try (ObjectReader reader = repo.newObjectReader()) {
            ObjectLoader loader = reader.open(index.get().getObjectId(), Constants.OBJ_BLOB);
            return loader.getSize() <= Pointer.MAX_POINTER_SIZE ? Pointer.parsePointer(loader.getBytes())
                    : Optional.empty();
        }
    }

    /**
     * Whether the file holds exactly the content of {@code key}, which the store has: then staging it again needs no
     * copy into the store, only this one read.
     */
    private boolean isStoredContent(Key key, Path file, FileStamp stamp) throws IOException {
        if (key.size().isEmpty() || key.size().getAsLong() != stamp.size() || !store.contains(key)) {
            return false;
        }
        VerifyResult result = ObjectStore.check(key, file);
        progress.bytesHashed(stamp.size());
        return result == VerifyResult.OK;
    }
}
