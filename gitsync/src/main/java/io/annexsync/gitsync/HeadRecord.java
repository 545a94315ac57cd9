package io.annexsync.gitsync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where annex-sync last left each branch: the commit it last committed, merged or checked out on it, so that a
 * branch moved since by something else (a push into it, {@code git reset}, a commit made with git) is merged rather
 * than committed over ({@code docs/sync.md}, "A branch moved under annex-sync"). Kept in
 * {@code .git/annex-sync/heads}, one line a branch: {@code <commit id> <ref name>}, for example
 * {@code 3f2a...9c refs/heads/main} (forty zeros: left unborn, as {@code init} leaves it), replaced whole by a
 * rename. Lines that do not parse are ignored (the branch then counts as having no record). Not thread-safe; one
 * writer per repository at a time, as for the index.
 */
public final class HeadRecord {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{40}");

    private final Path file;

    HeadRecord(Path gitDir) {
        this.file = gitDir.resolve("annex-sync").resolve("heads");
    }

    /** The commit annex-sync last left {@code ref} (a full name such as {@code refs/heads/main}) at, if recorded. */
    public Optional<String> get(String ref) throws RepoException {
        return Optional.ofNullable(read().get(Objects.requireNonNull(ref, "ref")));
    }

    /** Records that annex-sync left {@code ref} at commit {@code id} (40 hex digits). */
    public void set(String ref, String id) throws RepoException {
        if (!ID.matcher(id).matches() || ref.isBlank() || ref.contains("\n") || ref.contains(" ")) {
            throw new IllegalArgumentException("not a commit id and ref: " + id + " " + ref);
        }
        Map<String, String> all = read();
        if (id.equals(all.get(ref))) {
            return;
        }
        all.put(ref, id);
        StringBuilder text = new StringBuilder();
        all.forEach((r, i) -> text.append(i).append(' ').append(r).append('\n'));
        try {
            GitDirs.createBelow(file.getParent().getParent(), file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "heads", ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new RepoException("cannot record where " + ref + " is in " + file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, String> read() throws RepoException {
        Map<String, String> all = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int space = line.indexOf(' ');
                if (space == 40 && ID.matcher(line.substring(0, 40)).matches() && line.length() > 41) {
                    all.put(line.substring(41), line.substring(0, 40));
                }
            }
        } catch (NoSuchFileException e) {
            return all;
        } catch (IOException e) {
            throw new RepoException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return all;
    }
}
