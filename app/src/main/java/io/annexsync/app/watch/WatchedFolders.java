package io.annexsync.app.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folders registered with one {@link WatchService}, by key and by path, and the walks that register them.
 *
 * <p>An inotify watch follows its folder's inode, not its name: after {@code mv a b} the JDK's key still names
 * {@code a}, and registering {@code b} returns that same key. So a key that comes back for another place now stands
 * for that place (its old name is forgotten), and a folder whose name was deleted is unregistered unless the folder
 * now at that path is still the same inode (file key). Not thread-safe: used by {@link FolderWatcher#start} and then
 * only by the watcher thread.
 */
final class WatchedFolders {
    private static final Logger LOG = LoggerFactory.getLogger(WatchedFolders.class);

    /** Which part of the repository a folder belongs to, which decides what its events mean. */
    enum Area { WORK_TREE, SYNCED_REFS, GIT_DIR, HEADS }

    /** A registered folder; {@code fileKey} tells whether the folder at {@code dir} is still the one registered. */
    record Folder(Path dir, Area area, Optional<Object> fileKey, long generation) {}

    /** Told what a walk finds. */
    interface Walk {
        /** A file or folder found in the walk, the walked folder included. */
        void found(Path path);

        /** A folder that could not be registered or listed. */
        void failed(Path dir, IOException e);
    }

    private final WatchService service;
    private final Path gitDir;
    private final String separator;
    private final Map<WatchKey, Folder> byKey = new HashMap<>();
    private final TreeMap<String, WatchKey> byPath = new TreeMap<>();
    /** Which walk registered a folder last, so that a re-walk finds the folders it did not see. */
    private long generation;

    /**
     * @param gitDir never walked as part of another folder (it may sit in the work tree under another name)
     */
    WatchedFolders(WatchService service, Path gitDir) {
        this.service = Objects.requireNonNull(service, "service");
        this.gitDir = Objects.requireNonNull(gitDir, "gitDir");
        this.separator = gitDir.getFileSystem().getSeparator();
    }

    /** The git directory, never walked as part of the work tree. */
    Path gitDir() {
        return gitDir;
    }

    /** The folder of a key, or empty when the key was cancelled here. */
    Optional<Folder> folderOf(WatchKey key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** Whether a folder is registered at this path. */
    boolean isRegistered(Path dir) {
        return byPath.containsKey(dir.toString());
    }

    /** How many folders are registered. */
    int size() {
        return byKey.size();
    }

    /** Registers one folder (not what is in it). */
    void register(Path dir, Area area) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isDirectory()) {
            throw new NotDirectoryException(dir.toString());
        }
        register(dir, area, attrs, generation);
    }

    /**
     * Registers {@code top} and every folder below it, each before it is listed so that nothing created in it
     * meanwhile is missed, and tells {@code walk} of every file and folder found. Folders and files named {@code .git}
     * and the git directory are skipped; symbolic links are reported, never followed. A folder that vanished during
     * the walk is skipped silently (its delete event follows).
     */
    void registerTree(Path top, Area area, Walk walk) {
        walkTree(top, area, walk, generation);
    }

    /**
     * Walks {@code top} like {@link #registerTree} (after lost events: a folder created then was missed), then
     * unregisters the folders of that area below {@code top} that the walk did not find any more.
     */
    void rewalk(Path top, Area area, Walk walk) {
        long now = ++generation;
        walkTree(top, area, walk, now);
        List<WatchKey> stale = new ArrayList<>();
        for (WatchKey key : under(top)) {
            Folder f = byKey.get(key);
            if (f.area() == area && f.generation() != now) {
                stale.add(key);
            }
        }
        stale.forEach(this::cancel);
        if (!stale.isEmpty()) {
            LOG.debug("{} folders under {} are gone", stale.size(), top);
        }
    }

    /** A name in a watched folder was deleted or renamed away: unregisters what was registered at and under it. */
    void unregisterGone(Path dir) {
        for (WatchKey key : under(dir)) {
            if (!stillThere(byKey.get(key))) {
                cancel(key);
            }
        }
    }

    /** A key became invalid (its folder was deleted, or the service closed): forgets it. */
    void forget(WatchKey key) {
        Folder f = byKey.remove(key);
        if (f != null) {
            byPath.remove(f.dir().toString(), key);
        }
    }

    private void walkTree(Path top, Area area, Walk walk, long generation) {
        Deque<Path> todo = new ArrayDeque<>();
        todo.push(top);
        while (!todo.isEmpty()) {
            Path dir = todo.pop();
            try {
                BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (!attrs.isDirectory()) {
                    walk.found(dir);
                    continue;
                }
                register(dir, area, attrs, generation);
            } catch (NoSuchFileException | NotDirectoryException e) {
                continue;
            } catch (IOException e) {
                walk.failed(dir, e);
                continue;
            }
            walk.found(dir);
            list(dir, todo, walk);
        }
    }

    private void list(Path dir, Deque<Path> todo, Walk walk) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (entry.getFileName().toString().equals(".git") || entry.equals(gitDir)) {
                    continue;
                }
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    todo.push(entry);
                } else {
                    walk.found(entry);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            LOG.debug("{} vanished while it was listed", dir);
        } catch (IOException e) {
            walk.failed(dir, e);
        } catch (DirectoryIteratorException e) {
            walk.failed(dir, e.getCause());
        }
    }

    private void register(Path dir, Area area, BasicFileAttributes attrs, long generation) throws IOException {
        WatchKey key = dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
        Folder known = byKey.get(key);
        if (known != null && !known.dir().equals(dir)) {
            LOG.debug("{} was moved to {}: its watch follows it", known.dir(), dir);
            byPath.remove(known.dir().toString(), key); // the old name no longer stands for this folder
        }
        WatchKey before = byPath.put(dir.toString(), key);
        if (before != null && before != key) {
            cancel(before); // the folder that was here before was replaced by another one
        }
        byKey.put(key, new Folder(dir, area, Optional.ofNullable(attrs.fileKey()), generation));
    }

    private void cancel(WatchKey key) {
        key.cancel();
        forget(key);
    }

    /** The keys registered at {@code dir} and below it. */
    private List<WatchKey> under(Path dir) {
        String path = dir.toString();
        List<WatchKey> keys = new ArrayList<>();
        WatchKey own = byPath.get(path);
        if (own != null) {
            keys.add(own);
        }
        // every path below starts with path + separator, and sorts before path + the next character
        String from = path + separator;
        String to = path + (char) (separator.charAt(0) + 1);
        keys.addAll(byPath.subMap(from, to).values());
        return keys;
    }

    private static boolean stillThere(Folder f) {
        try {
            BasicFileAttributes now = Files.readAttributes(f.dir(), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return now.isDirectory() && f.fileKey().isPresent() && f.fileKey().get().equals(now.fileKey());
        } catch (IOException e) {
            return false;
        }
    }
}
