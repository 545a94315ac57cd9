package io.annexsync.netmap.plan;

import io.annexsync.netmap.graph.Arborescence;
import io.annexsync.netmap.graph.RepoId;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;

/**
 * What one repository does with one key that is wanted everywhere: where it downloads the content from, and which
 * remotes it uploads it to once it has it (store and forward). Uploads are listed cheapest link first. When the
 * {@code fallback} is present the plan is git-annex's flood fill (upload to every reachable remote that lacks the
 * key, download from the cheapest reachable holder) and the fallback says why.
 *
 * @param here         the repository this plan is for
 * @param downloadFrom the remote to download from; empty if {@code here} holds the key or no holder is reachable
 * @param uploadTo     the remotes to upload to, cheapest first; never {@code here}, no repetition
 * @param fallback     why the plan floods; empty when it follows the arborescence
 * @param tree         the key's minimum-cost arborescence over the whole map, for display and for its
 *                     {@link Arborescence#unreachable() unreachable} repositories
 */
public record TransferPlan(RepoId here, Optional<RepoId> downloadFrom, List<RepoId> uploadTo,
        Optional<Fallback> fallback, Arborescence tree) {

    /** Validates the plan and copies the list. */
    public TransferPlan {
        Objects.requireNonNull(here, "here");
        Objects.requireNonNull(downloadFrom, "downloadFrom");
        Objects.requireNonNull(fallback, "fallback");
        Objects.requireNonNull(tree, "tree");
        uploadTo = List.copyOf(uploadTo);
        if (downloadFrom.filter(here::equals).isPresent() || uploadTo.contains(here)) {
            throw new IllegalArgumentException("a repository does not transfer to itself: " + here);
        }
        if (new HashSet<>(uploadTo).size() != uploadTo.size()) {
            throw new IllegalArgumentException("an upload is planned twice: " + uploadTo);
        }
    }

    /** {@return whether this plan floods instead of following the arborescence} */
    public boolean flooding() {
        return fallback.isPresent();
    }

    /** {@return the repositories of the map that no holder can reach, in UUID order} */
    public SortedSet<RepoId> unreachable() {
        return tree.unreachable();
    }

    /** {@return the repositories that hold the key, in UUID order} */
    public SortedSet<RepoId> holders() {
        return tree.sources();
    }
}
