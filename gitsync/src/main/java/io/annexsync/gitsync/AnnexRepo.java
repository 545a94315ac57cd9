package io.annexsync.gitsync;

import io.annexsync.gitsync.branch.AnnexBranch;
import io.annexsync.gitsync.content.ContentOps;
import io.annexsync.gitsync.content.ItemResult;
import io.annexsync.gitsync.info.InfoCollector;
import io.annexsync.gitsync.info.RemoteInfo;
import io.annexsync.gitsync.info.RepoInfo;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.remote.RemoteConfig;
import io.annexsync.gitsync.remote.Remotes;
import io.annexsync.gitsync.stage.AddOptions;
import io.annexsync.gitsync.stage.StageOutcome;
import io.annexsync.gitsync.store.ObjectStore;
import io.annexsync.gitsync.store.StoreOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A git-annex v10 repository, the facade of the gitsync module: open or initialise one, stage and commit, and ask
 * where content is and check it (moving content is the transfer engine's). Thread-safety: one {@code AnnexRepo} is
 * used by one thread at a time (the CLI's command, later the daemon's repository thread); the object store and
 * branch it holds are themselves safe across processes. Close it to release the git repository and the stat cache.
 */
public final class AnnexRepo implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnnexRepo.class);

    private final Repository git;
    private final Uuid uuid;
    private final Clock clock;
    private final ObjectStore store;
    private final AnnexBranch branch;
    private final RepoState state;
    private Optional<ContentOps> content = Optional.empty();

    private AnnexRepo(Repository git, Uuid uuid, Clock clock) {
        this.git = git;
        this.uuid = uuid;
        this.clock = clock;
        String shared = git.getConfig().getString("core", null, "sharedRepository");
        boolean group = shared != null && !shared.equalsIgnoreCase("false") && !shared.equalsIgnoreCase("umask");
        this.store = new ObjectStore(git.getDirectory().toPath(), new StoreOptions(git.isBare(), group));
        this.branch = new AnnexBranch(git, annexDir(git), clock);
        this.state = new RepoState(git.getDirectory().toPath(), clock);
    }

    /** Opens the repository that contains {@code start} (a folder or file inside its work tree, or a bare repo). */
    public static AnnexRepo open(Path start) throws RepoException {
        return open(start, Clock.systemUTC());
    }

    /** As {@link #open(Path)} with a clock for timestamps in the git-annex branch. */
    public static AnnexRepo open(Path start, Clock clock) throws RepoException {
        Repository git = openGit(start);
        String version = git.getConfig().getString("annex", null, "version");
        String uuid = git.getConfig().getString("annex", null, "uuid");
        if (uuid == null || uuid.isBlank()) {
            git.close();
            throw new NotARepositoryException(where(git) + " is a git repository but not initialised for git-annex;"
                    + " run 'annex-sync init' there");
        }
        if (!"10".equals(version) && !"9".equals(version)) {
            git.close();
            throw new NotARepositoryException(where(git) + " has annex.version=" + version
                    + "; annex-sync works on version 10 repositories (upgrade with 'git annex upgrade')");
        }
        Optional<Uuid> id = Uuid.parse(uuid.trim());
        if (id.isEmpty()) {
            git.close();
            throw new NotARepositoryException(where(git) + " has annex.uuid '" + uuid.trim()
                    + "', which is not a repository uuid");
        }
        repairCoreBare(git);
        return new AnnexRepo(git, id.get(), Objects.requireNonNull(clock, "clock"));
    }

    /** Gives a repository annex-sync initialised before it wrote {@code core.bare} the setting at its next command. */
    private static void repairCoreBare(Repository git) {
        try {
            if (AnnexInit.markNotBare(git)) {
                LOG.info("wrote core.bare=false in {}/config, so git refuses pushes into the checked-out branch",
                        git.getDirectory());
            }
        } catch (IOException e) {
            LOG.warn("cannot write core.bare=false in {}/config ({}); git may accept a push into the checked-out "
                    + "branch, which annex-sync then merges", git.getDirectory(), e.getMessage());
        }
    }

    /**
     * Initialises {@code dir} as git-annex would (running git init first when it is not a repository yet), or adopts
     * a repository that git-annex or annex-sync already initialised, keeping its uuid.
     */
    public static InitResult init(Path dir, Optional<String> description, String defaultDescription)
            throws RepoException {
        boolean created = false;
        try {
            Files.createDirectories(dir);
            if (new FileRepositoryBuilder().findGitDir(dir.toFile()).getGitDir() == null) {
                // made here first: JGit's own attempt loses why it failed (a read-only folder, a full disk)
                Files.createDirectories(dir.resolve(".git"));
                Git.init().setDirectory(dir.toFile()).call().close();
                created = true;
            }
            try (Repository git = openGit(dir)) {
                InitResult.UuidChoice choice = AnnexInit.configure(git);
                if (!git.isBare()) {
                    BranchMoves.leftUnborn(git, new HeadRecord(git.getDirectory().toPath()));
                }
                AnnexInit.writeFiles(git.getDirectory().toPath());
                AnnexBranch branch = new AnnexBranch(git, annexDir(git), Clock.systemUTC());
                String desc = description.filter(d -> !d.isBlank())
                        .or(() -> existingDescription(branch, choice))
                        .orElse(defaultDescription);
                branch.create(choice.uuid(), desc);
                Remotes.probeUuids(git);
                return new InitResult(choice.uuid(), choice.existed(), created, desc);
            }
        } catch (IOException | GitAPIException | JGitInternalException e) {
            throw new RepoException("cannot initialise " + dir, e);
        }
    }

    private static Optional<String> existingDescription(AnnexBranch branch, InitResult.UuidChoice choice) {
        if (!choice.existed()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(branch.descriptions().get(choice.uuid())).filter(d -> !d.isBlank());
        } catch (RepoException e) {
            return Optional.empty();
        }
    }

    private static Repository openGit(Path start) throws RepoException {
        Path abs = start.toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            throw new NotARepositoryException("no such folder: " + abs);
        }
        File dir = Files.isDirectory(abs) ? abs.toFile() : abs.getParent().toFile();
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(dir);
        if (builder.getGitDir() == null) {
            throw new NotARepositoryException(abs + " is not in a git repository; run 'annex-sync init' there");
        }
        try {
            return builder.setMustExist(true).build();
        } catch (IOException e) {
            throw new RepoException("cannot open the git repository at " + builder.getGitDir() + ": " + e, e);
        }
    }

    private static Path annexDir(Repository git) {
        return git.getDirectory().toPath().resolve("annex");
    }

    private static String where(Repository git) {
        return git.isBare() ? git.getDirectory().toString() : git.getWorkTree().toString();
    }

    /** This repository's uuid. */
    public Uuid uuid() {
        return uuid;
    }

    /** The work tree's root folder. */
    public Path workTree() {
        return git.getWorkTree().toPath();
    }

    /** The git directory ({@code .git}, or the bare repository itself). */
    public Path gitDir() {
        return git.getDirectory().toPath();
    }

    /** Whether this is a bare repository (no work tree). */
    public boolean isBare() {
        return git.isBare();
    }

    /** The object store. */
    public ObjectStore store() {
        return store;
    }

    /** The git-annex branch. */
    public AnnexBranch branch() {
        return branch;
    }

    /** The JGit repository. Internal to the gitsync module's packages; other modules use this facade. */
    public Repository git() {
        return git;
    }

    /** The clock for git-annex branch timestamps. */
    public Clock clock() {
        return clock;
    }

    /** annex-sync's own state under {@code .git/annex-sync/}. Internal to the gitsync module's packages. */
    public RepoState state() {
        return state;
    }

    /** Whether the content of {@code key} is in the local object store. */
    public boolean hasContent(Key key) {
        return store.contains(key);
    }

    /**
     * How many copies must exist before one may be dropped: numcopies.log in the git-annex branch ({@code git annex
     * numcopies}), else the deprecated git config {@code annex.numcopies}, else 1.
     */
    public int numcopies() throws RepoException {
        OptionalInt logged = branch.numcopies();
        if (logged.isPresent()) {
            return logged.getAsInt();
        }
        return Math.max(1, git.getConfig().getInt("annex", "numcopies", 1));
    }

    /**
     * Stages files and folders: annexes large files (recording them present here), adds small ones to git. Like every
     * staging method, it first takes a current branch moved forward under annex-sync as its own when the index is
     * that branch's tree ({@link BranchMoves#adoptIfIndexMatches}), so the staged changes count as changes on top of
     * it.
     */
    public List<StageOutcome> add(List<Path> paths, AddOptions options, Progress progress) throws RepoException {
        BranchMoves.adoptIfIndexMatches(this);
        return new Staging(this).add(paths, options, progress);
    }

    /**
     * Stages everything that changed in the work tree, as {@code git add -A} with annex.largefiles: new and modified
     * files (annexed or to git), and deletions. Renames are a deletion and an addition; the content is not copied
     * again when it is already in the store.
     */
    public List<StageOutcome> addAll(AddOptions options, Progress progress) throws RepoException {
        BranchMoves.adoptIfIndexMatches(this);
        Staging staging = new Staging(this);
        List<StageOutcome> added = staging.add(List.of(workTree()), options, progress);
        List<StageOutcome> all = new ArrayList<>(added);
        for (String path : staging.stageDeletions()) {
            all.add(new StageOutcome(path, StageOutcome.Kind.DELETED, Optional.empty(), 0, Optional.empty()));
        }
        return all;
    }

    /**
     * Stages what changed at {@code paths} (relative '/'-separated work-tree paths of files or folders, as a folder
     * watcher reports them): files that are there are added as {@link #add} does, index entries at or under a path
     * that is gone (or became a folder) are removed. The assistant's commit of a batch of changes: only these paths
     * are looked at, not the whole work tree.
     */
    public List<StageOutcome> stageChanges(Collection<String> paths, AddOptions options, Progress progress)
            throws RepoException {
        BranchMoves.adoptIfIndexMatches(this);
        Staging staging = new Staging(this);
        List<Path> present = new ArrayList<>();
        for (String p : paths) {
            if (!WorkTreePaths.gone(workTree(), p)) { // a name that is not UTF-8 too: the stager says why it refuses it
                present.add(workTree().resolve(p));
            }
        }
        List<StageOutcome> all = new ArrayList<>();
        if (!present.isEmpty()) {
            for (StageOutcome o : staging.add(present, options, progress)) {
                if (o.kind() != StageOutcome.Kind.MISSING) { // deleted meanwhile: the deletions below see it
                    all.add(o);
                }
            }
        }
        for (String path : staging.stageDeletions(paths)) {
            all.add(new StageOutcome(path, StageOutcome.Kind.DELETED, Optional.empty(), 0, Optional.empty()));
        }
        return all;
    }

    /** The name of the current branch ({@code main}, {@code master}, ...). */
    public String currentBranch() throws RepoException {
        try {
            return git.getBranch();
        } catch (IOException e) {
            throw new RepoException("cannot read HEAD: " + e.getMessage(), e);
        }
    }

    /**
     * Commits the index to the current branch, and the journal to the git-annex branch; empty when nothing changed. A
     * branch that something else moved since annex-sync last left it is merged first, never committed over
     * ({@code docs/sync.md}); the result says so.
     */
    public Optional<CommitResult> commit(String message) throws RepoException {
        return new Committer(this).commit(message);
    }

    /** The id of the current branch's commit; empty before the first commit. */
    public Optional<String> head() throws RepoException {
        try {
            return Optional.ofNullable(git.resolve("HEAD^{commit}")).map(id -> id.name());
        } catch (IOException e) {
            throw new RepoException("cannot read HEAD: " + e.getMessage(), e);
        }
    }

    /** What changed from commit {@code from} (empty: from nothing) to commit {@code to}. */
    public TreeChanges changes(Optional<String> from, String to) throws RepoException {
        return TreeChanges.between(this, from, to);
    }

    /** How the work tree differs from the index and HEAD. */
    public List<WorkTreeChange> status() throws RepoException {
        return new WorkTreeStatus(this).changes();
    }

    /** As {@link #status()} for {@code paths} (relative, '/'-separated, and what is under them) only. */
    public List<WorkTreeChange> status(Collection<String> paths) throws RepoException {
        return new WorkTreeStatus(this).changes(Optional.of(paths));
    }

    /** The annexed files in the index under the given absolute paths (files or folders), sorted by path. */
    public List<AnnexedFile> annexedFiles(List<Path> paths) throws RepoException {
        return new IndexFiles(this).annexed(paths);
    }

    /**
     * The annexed files under the given absolute paths, and the paths that name nothing in the index, for a command
     * that reports those as failed items and goes on with the rest; a path outside the work tree is still an error.
     */
    public FileSelection select(List<Path> paths) throws RepoException {
        return new IndexFiles(this).select(paths);
    }

    /** The repositories that hold {@code key}'s content, here first, then by uuid; dead ones left out. */
    public List<Location> whereis(Key key) throws RepoException {
        return new IndexFiles(this).whereis(key);
    }

    /** Checks a file's content and location log, repairing what git-annex fsck repairs. */
    public ItemResult fsck(AnnexedFile file, boolean fast, Progress progress) throws RepoException {
        return content().fsck(file, fast, progress);
    }

    /** The content operations of this command (fsck); made on first use. */
    private ContentOps content() {
        if (content.isEmpty()) {
            content = Optional.of(new ContentOps(this));
        }
        return content.get();
    }

    /** The repository-wide figures of {@code info}. */
    public RepoInfo info() throws RepoException {
        return new InfoCollector(this).repo();
    }

    /** {@code info} for the remote called {@code name}, if there is one. */
    public Optional<RemoteInfo> remoteInfo(String name) throws RepoException {
        return new InfoCollector(this).remote(name);
    }

    /** The configured remotes, cheapest first. */
    public List<RemoteConfig> remotes() {
        return Remotes.list(git.getConfig());
    }

    /** Adds a remote on a local path: learns its uuid and fetches its branches, as {@code git remote add -f}. */
    public RemoteConfig addRemote(String name, Path path) throws RepoException {
        return Remotes.add(git, name, path);
    }

    /** Records pending git-annex branch changes (the journal) in a commit, as git-annex does after each command. */
    public void flush() throws RepoException {
        if (content.isPresent()) {
            content.get().flush();
        }
        branch.commitJournal("update");
    }

    /** Releases the git repository and the stat cache (unflushed logs are lost). */
    @Override
    public void close() {
        state.close();
        git.close();
    }
}
