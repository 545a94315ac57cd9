package io.annexsync.gitsync;

/**
 * An operation on a repository could not run at all: the folder is not a repository, git-annex state is unreadable,
 * an I/O error. Expected per-item outcomes (a file without content, a remote that lacks a key) are values, not this.
 */
public class RepoException extends Exception {
    public RepoException(String message) {
        super(message);
    }

    public RepoException(String message, Throwable cause) {
        super(message, cause);
    }
}
