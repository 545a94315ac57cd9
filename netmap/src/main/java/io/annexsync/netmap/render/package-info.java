/**
 * What {@code annex-sync map} shows: the network map, and optionally one key's plan, as readable text ({@link
 * io.annexsync.netmap.render.MapText}), Graphviz dot ({@link io.annexsync.netmap.render.MapDot}) or JSON-ready
 * maps and lists ({@link io.annexsync.netmap.render.MapJson}, written by the tiny {@link
 * io.annexsync.netmap.render.JsonWriter}). Output is deterministic (UUID order) so it can be compared in tests;
 * nothing here prints or reads files.
 */
package io.annexsync.netmap.render;
