package io.annexsync.transfer.remote;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.Reachability;
import io.annexsync.gitsync.remote.RemoteConfig;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;

/**
 * One remote as the transfer engine moves content with it, whatever its kind: a repository on a local path, a P2P
 * peer, an ssh remote to git-annex, a special remote. Shaped after git-annex's own remote type ({@code Types.Remote}:
 * {@code checkPresent}, {@code retrieveKeyFile}, {@code storeKey}, {@code lockContent}, {@code removeKey}) and the
 * requests of its P2P protocol (CHECKPRESENT, GET with an offset, PUT answered by PUT-FROM an offset, LOCKCONTENT,
 * REMOVE), so each kind is one implementation behind this interface, made by its {@link RemoteKind}. Every outcome a
 * remote can give is a value; an exception means the remote could not be asked at all ({@link RepoException}) or
 * the transfer is to stop ({@link Stopped}).
 *
 * <p>Who writes what: this repository's own location log is never written by a remote; the engine records there
 * what it learned (through the one writer of the repository's state). What the remote itself records (a path
 * remote's own git-annex branch saying it received a key) is its business, done by {@link #keysArrived}.
 *
 * <p>Thread-safety: implementations are thread-safe. The engine's workers call one open remote from several threads
 * at once; a kind whose connection carries one request at a time (a P2P peer, git-annex-shell over ssh) serialises
 * the requests or keeps a small pool of connections. No method may be called on the repository thread when it can
 * block on the network; opening happens on the workers ({@link OpenRemotes}). {@link #close} may run while no other
 * call is in progress.
 */
public interface Remote extends AutoCloseable {
    /** The remote's settings ({@code remote.NAME.*}). */
    RemoteConfig config();

    /** The remote's name. */
    default String name() {
        return config().name();
    }

    /** The repository UUID of the remote, as found when it was opened (never another repository's). */
    Uuid uuid();

    /**
     * Whether the remote can still be reached; a remote cached open that is no longer (its drive unmounted, its
     * connection lost for good) is opened again by {@link OpenRemotes}.
     */
    Reachability reachability();

    /** Whether the remote has {@code key}'s content now. */
    Presence checkPresent(Key key);

    /**
     * Fetches {@code key}'s content from the remote into {@code partial}, keeping its first {@code offset} bytes (a
     * partial file an earlier try left; git-annex's {@code GET offset}) and hashing the whole file as it is written.
     * The caller verifies the result against the key before the content enters its store.
     *
     * @throws Stopped when {@link Meter#stopping} turned true; the partial file is kept for the next try
     */
    Retrieving retrieve(Key key, Path partial, long offset, Meter meter) throws RepoException, Stopped;

    /**
     * Sends {@code key}'s content, read from {@code object} (held by the caller under a shared content lock), into the
     * remote: the remote continues a partial file of its own (git-annex's {@code PUT} answered by {@code PUT-FROM
     * offset}), verifies the bytes against the key and only then stores them.
     *
     * @throws Stopped when {@link Meter#stopping} turned true; the remote keeps its partial file
     */
    Storing store(Key key, Path object, Meter meter) throws RepoException, Stopped;

    /**
     * Locks the remote's copy of {@code key} so that it cannot be dropped while this repository drops its own copy
     * (git-annex's {@code LOCKCONTENT}); the lock is held until {@link Locking.Locked#lock} is closed.
     */
    Locking lockContent(Key key);

    /** Removes the remote's copy of {@code key}, unless someone holds it locked (git-annex's {@code REMOVE}). */
    Removing remove(Key key);

    /**
     * Tells the remote that these keys arrived in it through {@link #store}: a path remote records them in its own
     * location log and commits it, as git-annex does when it receives content; a peer that records them itself when
     * it receives them does nothing. Called in batches, after the transfers.
     */
    void keysArrived(Collection<Key> keys) throws RepoException;

    /**
     * The disk that content stored into the remote lands on, when this process can see it (a path remote), for the
     * {@code annex.diskreserve} check before a transfer; empty when the remote checks its own space (a peer).
     */
    Optional<Disk> disk();

    /** Releases what the remote holds open; no other call may follow. */
    @Override
    void close();
}
