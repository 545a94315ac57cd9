package io.annexsync.gitsync.sync;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An incoming commit whose tree held unsafe paths, which the merge left out (docs/sync.md, "Unsafe paths").
 *
 * @param ref the ref it came from ({@code refs/remotes/NAME/synced/main}, {@code refs/heads/synced/main})
 * @param remote the remote that ref belongs to; empty for what a peer pushed into {@code refs/heads/synced/*}
 * @param commit the commit id, 40 hex digits
 * @param paths the entries left out, sorted by path
 */
public record UnsafeCommit(String ref, Optional<String> remote, String commit, List<UnsafePath> paths) {
    public UnsafeCommit {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(commit, "commit");
        paths = List.copyOf(paths);
    }

    /** Where it came from, for a person: {@code origin (refs/remotes/origin/synced/main)}. */
    public String source() {
        return remote.map(r -> r + " (" + ref + ")").orElse("a peer's push (" + ref + ")");
    }

    /** The same commit, said to come from {@code remote}. */
    public UnsafeCommit from(Optional<String> name) {
        return new UnsafeCommit(ref, name, commit, paths);
    }

    /** The same commit with only {@code some} of its paths. */
    public UnsafeCommit withPaths(List<UnsafePath> some) {
        return new UnsafeCommit(ref, remote, commit, some);
    }
}
