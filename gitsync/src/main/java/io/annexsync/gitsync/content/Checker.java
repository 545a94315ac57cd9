package io.annexsync.gitsync.content;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.AnnexedFile;
import io.annexsync.gitsync.Progress;
import io.annexsync.gitsync.RepoException;
import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.branch.TrustLevel;
import io.annexsync.gitsync.key.Key;
import io.annexsync.gitsync.store.VerifyResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * fsck of one annexed file, in git-annex's order (FORMAT.md §9.3): location log against presence (fixed when
 * wrong), write protection, size and checksum (bad content moved to {@code .git/annex/bad}, the log updated), and
 * numcopies against the trustworthy copies.
 */
final class Checker {
    private final AnnexRepo repo;

    Checker(AnnexRepo repo) {
        this.repo = repo;
    }

    ItemResult check(AnnexedFile file, boolean fast, Progress progress) throws RepoException {
        Key key = file.key();
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        boolean present = repo.hasContent(key);
        boolean logged = repo.branch().locations(key).contains(repo.uuid());
        if (present != logged) {
            notes.add("fixing location log");
            repo.branch().setLocation(key, repo.uuid(), present);
            if (!present) {
                problems.add("** Based on the location log, " + file.path() + "\n** was expected to be present,"
                        + " but its content is missing.");
            }
        }
        if (present) {
            repo.store().fixPermissions(key);
            verifyContent(file, fast, progress, notes, problems);
        }
        numcopies(file, problems);
        String note = String.join(") (", notes);
        return problems.isEmpty()
                ? ItemResult.ok(file.path(), key, note)
                : ItemResult.failed(file.path(), key, note, String.join("\n", problems));
    }

    private void verifyContent(AnnexedFile file, boolean fast, Progress progress, List<String> notes,
            List<String> problems) throws RepoException {
        Key key = file.key();
        if (!fast) {
            notes.add("checksum...");
        }
        progress.itemStarted(file.path(), key.size().orElse(-1));
        VerifyResult result = fast ? repo.store().verifySize(key) : repo.store().verify(key);
        key.size().ifPresent(progress::bytesDone);
        progress.itemDone(file.path());
        if (result == VerifyResult.BAD_SIZE || result == VerifyResult.BAD_CHECKSUM) {
            Path bad = repo.store().moveToBad(key);
            repo.branch().setLocation(key, repo.uuid(), false);
            String what = result == VerifyResult.BAD_SIZE ? "Bad file size" : "Bad file content";
            problems.add(file.path() + ": " + what + "; moved to " + repo.workTree().relativize(bad));
        }
    }

    private void numcopies(AnnexedFile file, List<String> problems) throws RepoException {
        int need = repo.numcopies();
        Map<Uuid, TrustLevel> trust = repo.branch().trust();
        Set<Uuid> where = repo.branch().locations(file.key());
        long have = where.stream()
                .filter(u -> trust.getOrDefault(u, TrustLevel.SEMITRUSTED) != TrustLevel.UNTRUSTED
                        && trust.getOrDefault(u, TrustLevel.SEMITRUSTED) != TrustLevel.DEAD)
                .count();
        if (have == 0) {
            problems.add("** No known copies exist of " + file.path());
        } else if (have < need) {
            problems.add("Only " + have + " of " + need + " trustworthy copies exist of " + file.path()
                    + "\nBack it up with annex-sync copy.");
        }
    }
}
