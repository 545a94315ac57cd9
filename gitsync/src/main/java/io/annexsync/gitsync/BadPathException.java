package io.annexsync.gitsync;

/** A path given to a command is outside the repository, or names nothing in it. */
public class BadPathException extends RepoException {
    public BadPathException(String message) {
        super(message);
    }
}
