package io.annexsync.gitsync.info;

import java.util.List;
import java.util.Map;

/**
 * The repository-wide figures of {@code info}.
 *
 * @param trusted repositories marked trusted
 * @param semitrusted repositories with no trust setting (the default), including web and bittorrent
 * @param untrusted repositories marked untrusted
 * @param availableDiskSpace free bytes on the repository's file system
 * @param localKeys keys whose content is in the local object store
 * @param localSize their total size
 * @param annexedFiles annexed files in the work tree (the index)
 * @param annexedSize their total size
 * @param backendUsage annexed files per key variety
 */
public record RepoInfo(
        List<RepositoryEntry> trusted,
        List<RepositoryEntry> semitrusted,
        List<RepositoryEntry> untrusted,
        long availableDiskSpace,
        long localKeys,
        long localSize,
        long annexedFiles,
        long annexedSize,
        Map<String, Long> backendUsage) {
    public RepoInfo {
        trusted = List.copyOf(trusted);
        semitrusted = List.copyOf(semitrusted);
        untrusted = List.copyOf(untrusted);
        backendUsage = Map.copyOf(backendUsage);
    }
}
