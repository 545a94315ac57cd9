package io.annexsync.gitsync.branch;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Repository;

/**
 * The description {@code git annex init} gives a repository when none is given: {@code user@host:path}, the path
 * relative to the home directory written {@code ~/...} (verified: {@code root@vm:~/a}).
 */
final class DefaultDescription {
    private DefaultDescription() {}

    static String of(Repository repo) {
        Path dir = (repo.isBare() ? repo.getDirectory() : repo.getWorkTree()).toPath().toAbsolutePath().normalize();
        Path home = Path.of(System.getProperty("user.home")).toAbsolutePath().normalize();
        String path = dir.startsWith(home) && !dir.equals(home) ? "~/" + home.relativize(dir) : dir.toString();
        return System.getProperty("user.name") + "@" + hostname() + ":" + path;
    }

    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | SecurityException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException unknown) {
                return "localhost";
            }
        }
    }
}
