package io.annexsync.gitsync.remote.ssh;

import io.annexsync.gitsync.RepoException;

/**
 * The far side of an ssh remote has no usable git-annex repository: {@code git-annex-shell} is missing, the path is
 * no git repository, or the repository was never initialised for git-annex (no {@code annex.uuid}). git-annex then
 * sets {@code remote.NAME.annex-ignore=true} and uses the remote for git only; so does {@link SshRemotes#probe}.
 */
public final class NoGitAnnexException extends RepoException {
    private static final long serialVersionUID = 1L;

    NoGitAnnexException(String message) {
        super(message);
    }
}
