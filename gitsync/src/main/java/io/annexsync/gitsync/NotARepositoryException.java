package io.annexsync.gitsync;

/** The folder is not a git repository, or not one initialised for git-annex/annex-sync. */
public class NotARepositoryException extends RepoException {
    public NotARepositoryException(String message) {
        super(message);
    }
}
