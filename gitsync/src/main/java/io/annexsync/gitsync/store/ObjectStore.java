package io.annexsync.gitsync.store;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.key.Backend;
import io.annexsync.gitsync.key.Key;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * A repository's annexed content under {@code .git/annex/objects}, kept exactly as git-annex v10 keeps it: the hash
 * directories of FORMAT.md §3.2, read-only objects and key directories (§3.3), fcntl content locks (§3.4). Content
 * only ever appears in its final place by an atomic rename from {@code .git/annex/tmp}, fully written and forced to
 * disk, so a crash leaves at worst a stray temporary file ({@link #cleanTemp} removes those).
 *
 * <p>Thread-safe: inserts of one key are serialised, content locks are coordinated between threads through a
 * registry and with other processes (git-annex included) through fcntl locks. Holds no open resources; nothing to
 * close.
 */
public final class ObjectStore {
    /** Batches of at most this many new copies are forced file by file instead of with one file-system sync. */
    private static final int FORCE_EACH_UP_TO = 8;

    private static final int STRIPES = 64;

    private final ObjectLayout layout;
    private final ContentLocks locks;
    private final TempFiles temp;
    private final StoreScanner scanner;
    private final ReentrantLock[] insertLocks = new ReentrantLock[STRIPES];

    /** The store of the repository whose git directory is {@code gitDir} ({@code .git}, or the bare repository). */
    public ObjectStore(Path gitDir, StoreOptions options) {
        Objects.requireNonNull(gitDir, "gitDir");
        Objects.requireNonNull(options, "options");
        this.layout = new ObjectLayout(gitDir.toAbsolutePath().normalize(), options);
        this.locks = new ContentLocks(layout);
        this.temp = new TempFiles(layout.annexDir());
        this.scanner = new StoreScanner(layout.objectsDir());
        for (int i = 0; i < STRIPES; i++) {
            insertLocks[i] = new ReentrantLock();
        }
    }

    /** Where the content of {@code key} is, or would be put: {@code .git/annex/objects/XX/YY/KEY/KEY}. */
    public Path objectPath(Key key) {
        Objects.requireNonNull(key, "key");
        return layout.candidates(key).stream().filter(Files::isRegularFile).findFirst()
                .orElse(layout.target(key));
    }

    /** Whether the content of {@code key} is here. */
    public boolean contains(Key key) {
        return Files.isRegularFile(objectPath(key));
    }

    /** Every key with content here, by scanning the objects directory (both layouts). */
    public List<Key> keys() throws RepoException {
        return scanner.keys();
    }

    /** How many objects this store holds and their total size. */
    public StoreStats stats() throws RepoException {
        return scanner.stats();
    }

    /**
     * Takes in a work-tree file: hashes it with {@code backend} (extension from {@code fileName}) in the same pass as
     * copying (or linking, or moving) it to a temporary file, then renames that into place. When the key is already
     * present the temporary file is discarded. With {@link IngestMode#MOVE} the source stays a hard link to the
     * object until the caller renames a symlink over it.
     *
     * @return the content's key
     */
    public Key ingest(Path source, Backend backend, String fileName, IngestMode mode) throws RepoException {
        return ingest(source, backend, fileName, mode, n -> { });
    }

    /**
     * Adds the file at {@code source} to the store and returns its key: {@link #prepare} then {@link #commit}. For one
     * file; the stager calls the two steps on different pools so that the syncs of many small files overlap.
     */
    public Key ingest(Path source, Backend backend, String fileName, IngestMode mode, LongConsumer progress)
            throws RepoException {
        return commit(prepare(source, backend, fileName, mode, progress));
    }

    /**
     * First half of an ingest: hashes {@code source} while copying it (or hard-linking it, for THIN and MOVE) into
     * a temporary file under {@code .git/annex/tmp}, and computes its key. Nothing is in the store yet, and nothing
     * is forced to disk: pass the result to {@link #commit}, or to {@link #discard} when giving up.
     *
     * @param fileName the file's name, for the extension of E backends
     */
    public Prepared prepare(Path source, Backend backend, String fileName, IngestMode mode, LongConsumer progress)
            throws RepoException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(mode, "mode");
        Path tmp = temp.newTempFile();
        try {
            ContentHasher.Digest d = switch (mode) {
                case COPY -> ContentHasher.copyAndHash(source, Optional.of(tmp), backend, progress);
                case THIN, MOVE -> linkAndHash(source, tmp, backend, progress);
            };
            return new Prepared(Key.ofDigest(backend, d.size(), d.digest(), fileName), tmp, mode, false);
        } catch (IOException | RuntimeException e) {
            temp.deleteQuietly(tmp);
            throw new RepoException("cannot copy " + source + " into the annex (" + tmp + ")", e);
        }
    }

    /**
     * Second half of an ingest: forces a copied temporary file to disk, then renames it into its place with
     * git-annex's permissions (or drops it when the key is already here). Blocking I/O and thread-safe: call it from
     * many threads at once, as file systems commit concurrent syncs together.
     */
    public Key commit(Prepared prepared) throws RepoException {
        Objects.requireNonNull(prepared, "prepared");
        try {
            if (prepared.mode() == IngestMode.COPY && !prepared.synced()) {
                try (FileChannel ch = FileChannel.open(prepared.tempFile(), StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
            int mode = prepared.mode() == IngestMode.THIN ? ObjectLayout.THIN_CONTENT_MODE : ObjectLayout.CONTENT_MODE;
            place(prepared.key(), prepared.tempFile(), mode);
            return prepared.key();
        } catch (IOException e) {
            throw new RepoException("cannot store " + prepared.key() + ": " + e.getMessage(), e);
        } finally {
            temp.deleteQuietly(prepared.tempFile());
        }
    }

    /**
     * Forces many prepared objects to disk at once, with one sync of their file system, so that {@link #commit} need
     * not force them one by one. Returns them marked synced, or unchanged when the file system could not be synced
     * (then each commit forces its own file). A batch of a few files (what the assistant commits most of the time) is
     * left to those per-file forces: cheaper than starting {@code sync} and flushing everything the file system has
     * pending, other processes' writes included.
     */
    public List<Prepared> syncAll(List<Prepared> batch) {
        long copies = batch.stream().filter(p -> p.mode() == IngestMode.COPY && !p.synced()).count();
        if (copies <= FORCE_EACH_UP_TO || !FileSystemSync.syncFileSystemOf(layout.annexDir())) {
            return batch;
        }
        return batch.stream().map(p -> new Prepared(p.key(), p.tempFile(), p.mode(), true)).toList();
    }

    /**
     * Forces one prepared object to disk now and returns it marked synced. For big files, so the disk writes one
     * while the CPU hashes the next, instead of all at the end.
     */
    public Prepared force(Prepared prepared) throws RepoException {
        if (prepared.synced() || prepared.mode() != IngestMode.COPY) {
            return prepared;
        }
        try (FileChannel ch = FileChannel.open(prepared.tempFile(), StandardOpenOption.WRITE)) {
            ch.force(true);
            return new Prepared(prepared.key(), prepared.tempFile(), prepared.mode(), true);
        } catch (IOException e) {
            throw new RepoException("cannot force " + prepared.tempFile() + " to disk: " + e.getMessage(), e);
        }
    }

    /** Gives up a prepared ingest: its temporary file is deleted. */
    public void discard(Prepared prepared) {
        temp.deleteQuietly(prepared.tempFile());
    }

    /**
     * Content hashed into a temporary file, waiting for {@link #commit}.
     *
     * @param key the content's key
     * @param tempFile the temporary file under {@code .git/annex/tmp}
     * @param mode how it was made
     * @param synced its bytes are known to be on disk already ({@link #syncAll})
     */
    public record Prepared(Key key, Path tempFile, IngestMode mode, boolean synced) {
        public Prepared {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(tempFile, "tempFile");
            Objects.requireNonNull(mode, "mode");
        }
    }

    private static ContentHasher.Digest linkAndHash(Path source, Path tmp, Backend backend, LongConsumer progress)
            throws IOException {
        Files.createLink(tmp, source);
        FileStamp before = FileStamp.of(tmp);
        ContentHasher.Digest digest = ContentHasher.hash(tmp, backend, progress);
        if (!before.equals(FileStamp.of(tmp)) || digest.size() != before.size()) {
            throw new IOException("file changed while it was being added; try again");
        }
        return digest;
    }

    /**
     * Puts content received from elsewhere in place after checking it against {@code key} (size, and checksum when
     * the backend is known). On a mismatch the temporary file is deleted and nothing enters the store.
     *
     * @throws RepoException when the content does not match, naming what differs
     */
    public void insertVerified(Key key, Path tempFile) throws RepoException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(tempFile, "tempFile");
        try {
            VerifyResult result = Verifier.check(key, tempFile);
            if (result != VerifyResult.OK && result != VerifyResult.UNVERIFIABLE) {
                throw new RepoException("received content for " + key + " is bad (" + result + "); discarded");
            }
            place(key, tempFile, ObjectLayout.CONTENT_MODE);
        } catch (IOException e) {
            throw new RepoException("cannot store received content for " + key + ": " + e.getMessage(), e);
        } finally {
            temp.deleteQuietly(tempFile);
        }
    }

    /**
     * Checks {@code size} bytes whose {@code digest} by the key's backend was computed as they arrived: OK, BAD_SIZE,
     * BAD_CHECKSUM, or UNVERIFIABLE for a key without a checksum.
     */
    public static VerifyResult check(Key key, long size, byte[] digest) {
        return Verifier.check(key, size, digest);
    }

    /**
     * Checks any file (a work-tree file, say) against {@code key}: size first, then its checksum, read once. OK,
     * BAD_SIZE, BAD_CHECKSUM, or UNVERIFIABLE for a key without a checksum.
     */
    public static VerifyResult check(Key key, Path file) throws IOException {
        return Verifier.check(key, file);
    }

    /**
     * Puts content received from elsewhere in place when {@code digest}, computed by the key's backend while the
     * bytes arrived, matches {@code key}, so large content is not read a second time. On a mismatch the temporary
     * file is deleted and nothing enters the store.
     *
     * @throws RepoException when the content does not match, naming what differs
     */
    public void insertHashed(Key key, Path tempFile, byte[] digest) throws RepoException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(tempFile, "tempFile");
        Objects.requireNonNull(digest, "digest");
        try {
            VerifyResult result = Verifier.check(key, Files.size(tempFile), digest);
            if (result != VerifyResult.OK && result != VerifyResult.UNVERIFIABLE) {
                throw new RepoException("received content for " + key + " is bad (" + result + "); discarded");
            }
            place(key, tempFile, ObjectLayout.CONTENT_MODE);
        } catch (IOException e) {
            throw new RepoException("cannot store received content for " + key + ": " + e.getMessage(), e);
        } finally {
            temp.deleteQuietly(tempFile);
        }
    }

    /** The download file for {@code key}, {@code .git/annex/tmp/<keyFile>}, its directory made; may hold a partial. */
    public Path tempFileFor(Key key) throws RepoException {
        return temp.downloadFile(key);
    }

    /** Deletes temporary files a killed ingest left behind (not download files, which resume). */
    public void cleanTemp() throws RepoException {
        temp.cleanIngestFiles();
    }

    /** As {@link #verify} but checks only the size ({@code fsck --fast}): OK, MISSING or BAD_SIZE. */
    public VerifyResult verifySize(Key key) throws RepoException {
        Path object = objectPath(key);
        try {
            if (!Files.isRegularFile(object)) {
                return VerifyResult.MISSING;
            }
            boolean sizeOk = key.size().isEmpty() || Files.size(object) == key.size().getAsLong();
            return sizeOk ? VerifyResult.OK : VerifyResult.BAD_SIZE;
        } catch (IOException e) {
            throw new RepoException("cannot verify " + object, e);
        }
    }

    /** Checks the content of {@code key} against its size and checksum, streaming it. */
    public VerifyResult verify(Key key) throws RepoException {
        Path object = objectPath(key);
        try {
            return Files.isRegularFile(object) ? Verifier.check(key, object) : VerifyResult.MISSING;
        } catch (IOException e) {
            throw new RepoException("cannot verify " + object, e);
        }
    }

    /**
     * Moves bad content to {@code .git/annex/bad/<keyFile>} as {@code git annex fsck} does, and removes its now
     * empty directories.
     *
     * @return where the content went
     */
    public Path moveToBad(Key key) throws RepoException {
        Path object = objectPath(key);
        Path bad = layout.annexDir().resolve("bad").resolve(key.keyFile());
        try {
            Files.createDirectories(bad.getParent());
            layout.makeWritable(object.getParent());
            Files.move(object, bad, StandardCopyOption.REPLACE_EXISTING);
            layout.deleteEmptyDirs(object.getParent());
            return bad;
        } catch (IOException e) {
            throw new RepoException("cannot move " + object + " to " + bad, e);
        }
    }

    /** Puts back write protection on the content of {@code key} and its key directory, as fsck does. */
    public void fixPermissions(Key key) throws RepoException {
        Path object = objectPath(key);
        try {
            if (Files.isRegularFile(object, LinkOption.NOFOLLOW_LINKS)
                    && Files.getAttribute(object, "unix:nlink").equals(1)) {
                ObjectLayout.setMode(object, ObjectLayout.CONTENT_MODE);
            }
            layout.protectKeyDir(object.getParent());
        } catch (IOException e) {
            throw new RepoException("cannot fix permissions of " + object, e);
        }
    }

    /** Takes a shared content lock: the content stays until it is closed. */
    public ContentLock lockShared(Key key) throws RepoException {
        return lock(key, false);
    }

    /** Takes the exclusive content lock that removal needs. */
    public ContentLock lockExclusive(Key key) throws RepoException {
        return lock(key, true);
    }

    private ContentLock lock(Key key, boolean exclusive) throws RepoException {
        Path object = objectPath(key);
        if (!Files.isRegularFile(object)) {
            throw new RepoException("no content of " + key + " here to lock");
        }
        return locks.tryLock(key, object, exclusive).orElseThrow(() -> new RepoException(
                "content of " + key + " is locked by another user" + (exclusive ? "" : " removing it")));
    }

    /** Deletes the content of {@code key} under the exclusive content lock, and its empty directories. */
    public RemoveOutcome remove(Key key) throws RepoException {
        Path object = objectPath(key);
        if (!Files.isRegularFile(object)) {
            return RemoveOutcome.MISSING;
        }
        Optional<ContentLock> lock = locks.tryLock(key, object, true);
        if (lock.isEmpty()) {
            return RemoveOutcome.LOCKED;
        }
        try {
            layout.makeWritable(object.getParent());
            Files.deleteIfExists(object);
        } catch (IOException e) {
            throw new RepoException("cannot remove " + object, e);
        } finally {
            lock.get().close();
        }
        try {
            layout.deleteEmptyDirs(object.getParent());
        } catch (IOException e) {
            throw new RepoException("removed " + key + " but not its directory " + object.getParent(), e);
        }
        return RemoveOutcome.REMOVED;
    }

    /** Renames a complete temporary file into place, unless the key is present already. */
    private void place(Key key, Path tmp, int contentMode) throws IOException {
        ReentrantLock stripe = insertLocks[Math.floorMod(key.hashCode(), STRIPES)];
        stripe.lock();
        try {
            if (contains(key)) {
                return;
            }
            Path target = layout.target(key);
            boolean newKeyDir = layout.createDirsFor(target);
            ObjectLayout.setMode(tmp, contentMode);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            if (newKeyDir) {
                layout.protectNewKeyDir(target.getParent());
            } else {
                layout.protectKeyDir(target.getParent());
            }
        } finally {
            stripe.unlock();
        }
    }
}
