/**
 * The git-annex branch (FORMAT.md §5): log line models and their parsers, the journal under {@code .git/annex/journal},
 * reading the branch as git-annex sees it (tip, unmerged sibling {@code *}{@code /git-annex} refs, journal) and
 * writing it back through the journal, committing and union-merging with JGit in process. Nothing here runs a git
 * subprocess or touches git-annex's private files ({@code .git/annex/index}, {@code index.lck}, {@code mergedrefs}).
 */
package io.annexsync.gitsync.branch;
