package io.annexsync.app.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Commits a hostile peer makes with git plumbing, which no porcelain would write: tree entries whose raw names are
 * {@code ..}, {@code ../x}, absolute paths, {@code .git}, or a symlink and a folder of the same name in one tree. Each
 * commit keeps every entry of its parent's root tree and adds the planted ones; JGit's {@link TreeFormatter} writes
 * any bytes as a name. Not thread-safe; the repository is opened and closed per call.
 */
final class HostileCommits {
    /** One planted root entry: a blob at {@code name}, or a folder of blobs (name to content, nested by {@code /}). */
    sealed interface Plant {
        String name();
    }

    /** A blob straight in the root tree under a raw name, which may hold {@code /}. */
    record Blob(String name, String content, FileMode mode) implements Plant {}

    /** A symlink in the root tree. */
    record Link(String name, String target) implements Plant {}

    /** A folder in the root tree holding {@code files} ({@code a/b} nests folders). */
    record Folder(String name, Map<String, String> files, FileMode mode) implements Plant {}

    private HostileCommits() {}

    /**
     * Writes a commit on top of {@code parent} (a ref or commit of the repository at {@code repoDir}) whose root is the
     * parent's root plus {@code plants}, and points {@code ref} at it; returns the commit id.
     */
    static String commit(Path repoDir, String parent, String ref, String message, List<Plant> plants)
            throws IOException {
        try (Repository repo = new FileRepositoryBuilder().setGitDir(repoDir.resolve(".git").toFile()).build();
                ObjectInserter ins = repo.newObjectInserter();
                RevWalk walk = new RevWalk(repo)) {
            RevCommit base = walk.parseCommit(repo.resolve(parent));
            List<Entry> root = rootEntries(repo, base);
            for (Plant p : plants) {
                root.add(entry(ins, p));
            }
            root.sort(Comparator.comparing(Entry::sortName));
            TreeFormatter tree = new TreeFormatter();
            for (Entry e : root) {
                tree.append(e.name().getBytes(StandardCharsets.UTF_8), e.mode(), e.id());
            }
            ObjectId treeId = ins.insert(tree);
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(treeId);
            c.setParentId(base);
            PersonIdent who = new PersonIdent("Hostile Peer", "hostile@example.com");
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage(message + "\n");
            ObjectId id = ins.insert(c);
            ins.flush();
            RefUpdate u = repo.updateRef(ref);
            u.setNewObjectId(id);
            u.setForceUpdate(true);
            u.update();
            return id.name();
        }
    }

    private record Entry(String name, FileMode mode, ObjectId id) {
        String sortName() {
            return mode == FileMode.TREE ? name + "/" : name;
        }
    }

    private static List<Entry> rootEntries(Repository repo, RevCommit base) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (TreeWalk w = new TreeWalk(repo)) {
            w.addTree(base.getTree());
            while (w.next()) {
                entries.add(new Entry(w.getNameString(), w.getFileMode(0), w.getObjectId(0)));
            }
        }
        return entries;
    }

    private static Entry entry(ObjectInserter ins, Plant p) throws IOException {
        return switch (p) {
            case Blob b -> new Entry(b.name(), b.mode(), blob(ins, b.content()));
            case Link l -> new Entry(l.name(), FileMode.SYMLINK, blob(ins, l.target()));
            case Folder f -> new Entry(f.name(), FileMode.TREE, folder(ins, f.files(), f.mode()));
        };
    }

    private static ObjectId folder(ObjectInserter ins, Map<String, String> files, FileMode mode) throws IOException {
        Map<String, String> here = new TreeMap<>();
        Map<String, Map<String, String>> below = new TreeMap<>();
        files.forEach((path, content) -> {
            int slash = path.indexOf('/');
            if (slash < 0) {
                here.put(path, content);
            } else {
                below.computeIfAbsent(path.substring(0, slash), k -> new TreeMap<>())
                        .put(path.substring(slash + 1), content);
            }
        });
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, String> e : here.entrySet()) {
            entries.add(new Entry(e.getKey(), mode, blob(ins, e.getValue())));
        }
        for (Map.Entry<String, Map<String, String>> e : below.entrySet()) {
            entries.add(new Entry(e.getKey(), FileMode.TREE, folder(ins, e.getValue(), mode)));
        }
        entries.sort(Comparator.comparing(Entry::sortName));
        TreeFormatter tree = new TreeFormatter();
        for (Entry e : entries) {
            tree.append(e.name().getBytes(StandardCharsets.UTF_8), e.mode(), e.id());
        }
        return ins.insert(tree);
    }

    private static ObjectId blob(ObjectInserter ins, String content) throws IOException {
        return ins.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8));
    }
}
