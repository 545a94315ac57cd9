package io.annexsync.app.cli;

import io.annexsync.gitsync.AnnexRepo;
import io.annexsync.gitsync.GitEnvironment;
import io.annexsync.gitsync.InitResult;
import io.annexsync.transfer.remote.p2p.tls.DeviceIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code annex-sync init [DESCRIPTION]}: makes the folder a git-annex v10 repository, or adopts an existing one. */
@Command(
        name = "init",
        description = {
            "Initialise the folder as a git-annex v10 repository (runs git init first if needed).",
            "On a repository git-annex already initialised, keeps its uuid."
        })
final class InitCommand implements Callable<Integer> {
    @ParentCommand
    AnnexSyncCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(arity = "0..1", paramLabel = "DESCRIPTION", description = "How this repository is shown to others.")
    String description;

    @Override
    public Integer call() throws Exception {
        Path dir = root.directory();
        Reporter reporter = new Reporter(spec.commandLine().getOut(), spec.commandLine().getErr(), output.json);
        InitResult r = AnnexRepo.init(dir, Optional.ofNullable(description), defaultDescription(dir));
        try (AnnexRepo repo = AnnexRepo.open(dir)) {
            DeviceIdentity.loadOrCreate(repo.gitDir()); // this device's key and certificate, for peers (docs/peers.md)
        }
        if (reporter.json()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("command", "init");
            o.put("uuid", r.uuid().value());
            o.put("description", r.description());
            o.put("kept-existing-uuid", r.keptExistingUuid());
            o.put("success", true);
            reporter.object(o);
        } else {
            if (r.createdGitRepository()) {
                reporter.human("init: made a new git repository in " + dir);
            }
            if (r.keptExistingUuid()) {
                reporter.human("init " + r.description() + " ok (already initialised; kept uuid " + r.uuid() + ")");
            } else {
                reporter.human("init " + r.description() + " ok");
            }
        }
        return ExitCode.OK;
    }

    /** git-annex's default description: {@code user@host:~/path} (the path relative to home when it is inside). */
    static String defaultDescription(Path dir) {
        Optional<Path> home = GitEnvironment.home().map(h -> h.toAbsolutePath().normalize()); // $HOME, as git-annex
        String path = home.filter(h -> dir.startsWith(h) && !dir.equals(h)).map(h -> "~/" + h.relativize(dir))
                .orElse(dir.toString());
        return System.getProperty("user.name") + "@" + hostname() + ":" + path;
    }

    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | SecurityException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException unknown) {
                return "localhost";
            }
        }
    }
}
