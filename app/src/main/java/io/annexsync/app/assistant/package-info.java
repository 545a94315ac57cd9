/**
 * The assistant daemon: one long-running process per folder that commits every change, pushes to every remote, merges
 * what peers push back and moves content along the network map, by itself. {@link
 * io.annexsync.app.assistant.Assistant} wires the repository, the folder watcher, the transfer engine and the timers
 * together and owns their threads; every change to the index, refs and work tree happens on its one repository
 * thread, and the other threads (watcher, pushers, transfer workers, timers) only hand it work. Its files live under
 * {@code .git/annex-sync/} ({@link io.annexsync.app.assistant.DaemonFiles}). What must not live here: repository
 * formats (gitsync), moving bytes (transfer), routing (netmap), command-line parsing (cli).
 */
package io.annexsync.app.assistant;
