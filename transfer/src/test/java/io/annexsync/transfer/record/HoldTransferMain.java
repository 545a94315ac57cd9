package io.annexsync.transfer.record;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The other process of {@link TransferRecordsProcessIT}: begins a transfer ({@code gitDir direction uuid key}), or
 * takes the partial-file lock of the key when the direction is {@code partial}, prints {@code begun} (or {@code
 * busy}), then obeys stdin: {@code finish} finishes it, {@code halt} (or the end of stdin) stops the JVM at once,
 * leaving the record behind as a crash would.
 */
public final class HoldTransferMain {
    private HoldTransferMain() {
    }

    /** What the child holds, ended by {@code finish}. */
    @FunctionalInterface
    private interface Held {
        void finish() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        TransferRecords records = new TransferRecords(Path.of(args[0]));
        Key key = Key.of(args[3]);
        Optional<Held> held;
        if ("partial".equals(args[1])) {
            held = records.tryLockPartial(key).map(lock -> (Held) lock::close);
        } else {
            Direction direction = Direction.ofDirName(args[1]).orElseThrow();
            held = records.begin(direction, new Uuid(args[2]), key, Optional.of("held.bin"))
                    .map(active -> (Held) active::finish);
        }
        System.out.println(held.isPresent() ? "begun" : "busy");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if ("finish".equals(line) && held.isPresent()) {
            held.get().finish();
            System.out.println("finished");
            System.out.flush();
            return;
        }
        Runtime.getRuntime().halt(0);
    }
}
