/**
 * Moving content between repositories: {@code engine}, the transfer engine every movement of content goes through;
 * {@code remote}, the one seam every kind of remote is behind ({@code remote.path} so far; a P2P peer, an ssh remote
 * and special remotes are each one more package there); {@code content}, {@code sync --content} and {@code drop}
 * on top of it; {@code queue}, the persistent transfer queue in {@code state.db}; {@code record}, git-annex
 * compatible transfer records (status files with their fcntl locks) that any process can read.
 */
package io.annexsync.transfer;
