/**
 * The repository layer: a git-annex v10 compatible repository driven in process with JGit. The facade is
 * {@link io.annexsync.gitsync.AnnexRepo}; subpackages hold keys, the object store, staging and the git-annex branch.
 * Nothing here parses annex-sync's own config files or environment: callers pass records in.
 */
package io.annexsync.gitsync;
