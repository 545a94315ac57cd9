/**
 * The composition root: {@link io.annexsync.app.Main} starts the {@code annex-sync} command line; later the assistant
 * daemon lives beside it. Only this module reads the environment, parses config files and chooses the log backend.
 */
package io.annexsync.app;
