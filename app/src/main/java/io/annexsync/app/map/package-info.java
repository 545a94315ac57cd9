/**
 * The bridge between a repository and the network map: reads the links every repository published in the git-annex
 * branch into the {@code netmap} module's records, publishes this repository's own links, and routes
 * {@code sync --content} along the map's plan. gitsync knows no map and netmap knows no git; only this package knows
 * both.
 */
package io.annexsync.app.map;
