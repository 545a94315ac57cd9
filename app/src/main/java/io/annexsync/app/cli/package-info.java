/**
 * The {@code annex-sync} command line (picocli): one class per subcommand, shared options as mixins, all output
 * through the command line's writers so tests can capture it, exit codes from {@link io.annexsync.app.cli.ExitCode}.
 * Commands only parse, call the repository layer and print; they hold no repository logic.
 */
package io.annexsync.app.cli;
