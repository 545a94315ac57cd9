package io.annexsync.gitsync.sync;

import java.util.List;
import java.util.SortedMap;

/**
 * The outcome of a three-way tree merge with every conflict already resolved.
 *
 * @param files every file of the merged tree by path
 * @param conflicts how each conflict was resolved, sorted by path
 */
record MergedTree(SortedMap<String, TreeEntry> files, List<ConflictResolution> conflicts) {}
