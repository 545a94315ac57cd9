package io.annexsync.transfer.record;

import io.annexsync.gitsync.Uuid;
import io.annexsync.gitsync.key.Key;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The other process of {@link TransferRecordsProcessIT}: begins a transfer ({@code gitDir direction uuid key}),
 * prints {@code begun} (or {@code busy}), then obeys stdin: {@code finish} finishes it, {@code halt} (or the end of
 * stdin) stops the JVM at once, leaving the record behind as a crash would.
 */
public final class HoldTransferMain {
    private HoldTransferMain() {
    }

    public static void main(String[] args) throws Exception {
        TransferRecords records = new TransferRecords(Path.of(args[0]));
        Direction direction = Direction.ofDirName(args[1]).orElseThrow();
        Optional<ActiveTransfer> active = records.begin(direction, new Uuid(args[2]), Key.of(args[3]),
                Optional.of("held.bin"));
        System.out.println(active.isPresent() ? "begun" : "busy");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if ("finish".equals(line) && active.isPresent()) {
            active.get().finish();
            System.out.println("finished");
            System.out.flush();
            return;
        }
        Runtime.getRuntime().halt(0);
    }
}
