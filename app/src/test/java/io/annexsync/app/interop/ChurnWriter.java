package io.annexsync.app.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One person working in one folder for the churn stress test: creates, rewrites, appends to, renames and deletes files
 * (0 B to 2 MiB, most small) under a prefix only it writes, as a person does (in place, no temporary file), and logs
 * every write with the sha256 of what the file holds after it. What it last wrote at each path is what every folder
 * must hold in the end; a path it deleted or renamed away must be gone. Not thread-safe: one thread per writer.
 */
final class ChurnWriter {
    private final Path dir;
    private final String prefix;
    private final Random random;
    private final Writer log;
    /** Path → sha256 of what this writer last wrote there, for the paths it has not deleted or renamed away. */
    private final Map<String, String> last = new TreeMap<>();
    private int next;
    private int ops;

    /** A writer in {@code dir} under {@code prefix}, logging to {@code log}. */
    ChurnWriter(Path dir, String prefix, long seed, Path log) throws IOException {
        this.dir = dir;
        this.prefix = prefix;
        this.random = new Random(seed);
        Files.createDirectories(log.getParent());
        this.log = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
    }

    /** Works until {@code stop} is set, with a short random pause between operations; returns how many it did. */
    int run(AtomicBoolean stop) throws IOException, InterruptedException {
        try (log) {
            while (!stop.get()) {
                step();
                Thread.sleep(5 + random.nextInt(40)); // a person's pace, not a wait for a condition
            }
        }
        return ops;
    }

    /** What this writer last wrote at each of its paths still there (a copy). */
    Map<String, String> expected() {
        return new TreeMap<>(last);
    }

    private void step() throws IOException {
        List<String> paths = new ArrayList<>(last.keySet());
        int p = random.nextInt(100);
        if (paths.size() < 8 || p < 30) {
            create();
        } else {
            String path = paths.get(random.nextInt(paths.size()));
            if (p < 55) {
                rewrite(path);
            } else if (p < 70) {
                append(path);
            } else if (p < 85) {
                rename(path);
            } else {
                delete(path);
            }
        }
        ops++;
    }

    private void create() throws IOException {
        String path = prefix + "/d" + random.nextInt(4) + "/f" + next++ + ".bin";
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        byte[] bytes = bytes();
        Files.write(file, bytes);
        written("create", path, Oracle.sha256(bytes), bytes.length);
    }

    private void rewrite(String path) throws IOException {
        byte[] bytes = bytes();
        Files.write(dir.resolve(path), bytes);
        written("rewrite", path, Oracle.sha256(bytes), bytes.length);
    }

    private void append(String path) throws IOException {
        byte[] more = new byte[1 + random.nextInt(8192)];
        random.nextBytes(more);
        Path file = dir.resolve(path);
        Files.write(file, more, StandardOpenOption.APPEND);
        written("append", path, sha256(file), Files.size(file));
    }

    private void rename(String path) throws IOException {
        String to = prefix + "/d" + random.nextInt(4) + "/f" + next++ + ".bin";
        Path target = dir.resolve(to);
        Files.createDirectories(target.getParent());
        try {
            Files.move(dir.resolve(path), target);
        } catch (NoSuchFileException e) { // the daemon removed the empty folder between the two calls: try again
            Files.createDirectories(target.getParent());
            Files.move(dir.resolve(path), target);
        }
        String hash = last.remove(path);
        line("rename " + path + " -> " + to + " " + hash);
        last.put(to, hash);
    }

    private void delete(String path) throws IOException {
        Files.delete(dir.resolve(path));
        last.remove(path);
        line("delete " + path);
    }

    private void written(String op, String path, String hash, long size) throws IOException {
        last.put(path, hash);
        line(op + " " + path + " " + hash + " " + size);
    }

    private void line(String s) throws IOException {
        log.write(System.currentTimeMillis() + " " + s + "\n");
        log.flush();
    }

    /** Random bytes of a random size: a tenth empty, most under 64 KiB, a few up to 2 MiB. */
    private byte[] bytes() {
        int p = random.nextInt(100);
        int size = p < 10 ? 0 : p < 70 ? 1 + random.nextInt(4096) : p < 95 ? 4096 + random.nextInt(64 << 10)
                : (64 << 10) + random.nextInt(2 << 20);
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    private static String sha256(Path file) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(d.digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
