package io.annexsync.gitsync;

/**
 * An operation on a repository could not run at all: the folder is not a repository, git-annex state is unreadable,
 * an I/O error. Expected per-item outcomes (a file without content, a remote that lacks a key) are values, not this.
 */
public class RepoException extends Exception {
    public RepoException(String message) {
        super(message);
    }

    /**
     * An operation that failed because of {@code cause}: unless {@code message} says it already, the message ends with
     * what the cause says ({@link IoMessages#cause}), so a person reads the path and the reason (for example {@code
     * cannot create transfer record folder /mnt/ro/.git/annex/transfer/upload/U: /mnt/ro/.git/annex/transfer:
     * read-only file system}) and the trace can stay in the log.
     */
    public RepoException(String message, Throwable cause) {
        super(withCause(message, cause), cause);
    }

    private static String withCause(String message, Throwable cause) {
        if (cause == null || cause instanceof RepoException) {
            return message;
        }
        String why = IoMessages.cause(cause);
        String own = cause.getMessage();
        if (message.contains(why) || (own != null && !own.isBlank() && message.contains(own.strip()))) {
            return message;
        }
        return message + ": " + why;
    }
}
