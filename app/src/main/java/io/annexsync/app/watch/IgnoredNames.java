package io.annexsync.app.watch;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The file names the watcher never reports: {@code .git}, and the short-lived files that editors and tools write
 * next to the real one before renaming or deleting them. Only the name counts, never the folder it is in; a file
 * renamed from an ignored name to a real one is reported under the real name, so nothing a user keeps is lost.
 *
 * <table>
 * <caption>The rules</caption>
 * <tr><th>who</th><th>names</th></tr>
 * <tr><td>git</td><td>{@code .git}</td></tr>
 * <tr><td>vim</td><td>{@code *.swp}, {@code *.swx}, {@code *.swo}, {@code 4913} (its write test), {@code *~}</td></tr>
 * <tr><td>emacs</td><td>{@code .#*} (lock links), {@code #*#} (auto-save)</td></tr>
 * <tr><td>kate</td><td>{@code *.kate-swp}</td></tr>
 * <tr><td>gedit and GIO</td><td>{@code .goutputstream-*}</td></tr>
 * <tr><td>LibreOffice</td><td>{@code .~lock.*#}</td></tr>
 * <tr><td>rsync</td><td>{@code .NAME.XXXXXX}: a dot, the name, a dot and six letters or digits</td></tr>
 * <tr><td>annex-sync's checkout</td><td>{@code .annex-sync-*.tmp}</td></tr>
 * </table>
 *
 * <p>Partial downloads ({@code *.part}, {@code *.crdownload}) are not ignored: people keep such files. The rsync rule
 * also matches a real dotfile such as {@code .bashrc.backup}; the daemon's full scan still finds those. Stateless and
 * thread-safe.
 */
public final class IgnoredNames {
    private static final Pattern RSYNC_TEMP = Pattern.compile("\\..+\\.[A-Za-z0-9]{6}");

    private IgnoredNames() {}

    /** Whether a file or folder with this name (one path component, no '/') is never reported. */
    public static boolean ignored(String name) {
        Objects.requireNonNull(name, "name");
        return name.equals(".git")
                || vim(name)
                || emacs(name)
                || name.endsWith(".kate-swp")
                || name.startsWith(".goutputstream-")
                || (name.startsWith(".~lock.") && name.endsWith("#"))
                || (name.startsWith(".annex-sync-") && name.endsWith(".tmp"))
                || RSYNC_TEMP.matcher(name).matches();
    }

    private static boolean vim(String name) {
        return name.endsWith(".swp") || name.endsWith(".swx") || name.endsWith(".swo") || name.equals("4913")
                || name.endsWith("~");
    }

    private static boolean emacs(String name) {
        return name.startsWith(".#") || (name.length() > 1 && name.startsWith("#") && name.endsWith("#"));
    }
}
