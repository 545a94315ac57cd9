package io.annexsync.netmap.render;

import io.annexsync.netmap.graph.RepoId;
import io.annexsync.netmap.map.NetworkMap;

/** How a repository is named in the renderings: the first eight UUID digits, then its description if any. */
final class Labels {

    private Labels() {
    }

    static String shortId(RepoId repo) {
        return repo.uuid().substring(0, 8);
    }

    static String name(NetworkMap map, RepoId repo) {
        return map.description(repo).map(d -> shortId(repo) + " " + d).orElse(shortId(repo));
    }
}
