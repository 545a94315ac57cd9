package io.annexsync.gitsync;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Says what an I/O error means for a person, in one line that names the path and the cause: the JDK's own messages
 * leave the cause out for some exceptions ({@code AccessDeniedException} is just the path). Stateless.
 */
public final class IoMessages {
    private IoMessages() {}

    /** For example {@code /mnt/ro/.git/annex: read-only file system} or {@code /x/y: permission denied}. */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            String file = f.getOtherFile() == null ? f.getFile() : f.getFile() + " -> " + f.getOtherFile();
            return file + ": " + reason(f);
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : lowerFirst(message);
    }

    /**
     * What {@code cause} says for the end of a message that already names what could not be done: the most precise
     * I/O error in its chain ({@link #describe(IOException)}; JGit and SQLite wrap the JDK's), else its own message.
     */
    public static String cause(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof FileSystemException f && f.getFile() != null) {
                return describe(f);
            }
        }
        if (cause instanceof IOException io) {
            return describe(io);
        }
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            return cause.getClass().getSimpleName();
        }
        String line = message.lines().findFirst().orElse(message).strip();
        // SQLite's own words for a full disk; a person looks for the JDK's
        return line.contains("SQLITE_FULL") ? "no space left on device (SQLite: " + line + ")" : lowerFirst(line);
    }

    /** Whether {@code e} says the disk is full (ENOSPC, or a quota: EDQUOT), as the JDK words those errors. */
    public static boolean diskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String text = t instanceof FileSystemException f && f.getReason() != null ? f.getReason() : t.getMessage();
            String lower = text == null ? "" : text.toLowerCase(Locale.ROOT);
            if (lower.contains("no space left on device") || lower.contains("disk quota exceeded")) {
                return true;
            }
        }
        return false;
    }

    private static String reason(FileSystemException f) {
        if (f.getReason() != null && !f.getReason().isBlank()) {
            return lowerFirst(f.getReason());
        }
        return switch (f) {
            case AccessDeniedException a -> "permission denied";
            case NoSuchFileException n -> "no such file or directory";
            case FileAlreadyExistsException x -> "already exists";
            case DirectoryNotEmptyException d -> "directory not empty";
            case NotDirectoryException d -> "not a directory";
            default -> f.getClass().getSimpleName();
        };
    }

    /** {@code No space left on device} as the JDK says it, {@code no space left on device} in our messages. */
    private static String lowerFirst(String s) {
        return s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))
                ? Character.toLowerCase(s.charAt(0)) + s.substring(1) : s;
    }
}
