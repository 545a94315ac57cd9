package io.annexsync.transfer.remote;

import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.transfer.remote.path.PathRemote;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The kinds of remote this process can open, tried in order: the first that recognises a remote's config opens it.
 * Immutable and thread-safe.
 */
public final class RemoteKinds {
    private final List<RemoteKind> kinds;

    private RemoteKinds(List<RemoteKind> kinds) {
        this.kinds = List.copyOf(kinds);
    }

    /** Every kind annex-sync has, path remotes first (later kinds: P2P peers, ssh remotes, special remotes). */
    public static RemoteKinds standard() {
        return of(List.of(PathRemote.KIND));
    }

    /** These kinds, in this order. */
    public static RemoteKinds of(List<RemoteKind> kinds) {
        return new RemoteKinds(Objects.requireNonNull(kinds, "kinds"));
    }

    /** These kinds with {@code kind} tried after them. */
    public RemoteKinds with(RemoteKind kind) {
        List<RemoteKind> all = new ArrayList<>(kinds);
        all.add(Objects.requireNonNull(kind, "kind"));
        return new RemoteKinds(all);
    }

    /** The kind of {@code config}, if one recognises it. */
    public Optional<RemoteKind> kindOf(RemoteConfig config) {
        return kinds.stream().filter(k -> k.recognises(config)).findFirst();
    }

    /** Opens {@code config} by its kind; fails naming it when no kind knows it or it cannot be opened. */
    public Remote open(RemoteConfig config, Here here) throws RepoException {
        RemoteKind kind = kindOf(config).orElseThrow(() -> new RepoException("remote " + config.name() + " ("
                + config.url() + ") is not on a local path; only path remotes are supported in this version"));
        return kind.open(config, here);
    }
}
