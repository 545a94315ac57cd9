/**
 * annex-sync's own settings, read once from {@code .git/annex-sync/assistant.conf} (git-config syntax, parsed with
 * JGit's {@code Config}) into typed records with their defaults in one place. A bad value is an error that names the
 * key. Settings git-annex also reads stay in git config and the git-annex branch.
 */
package io.annexsync.app.config;
