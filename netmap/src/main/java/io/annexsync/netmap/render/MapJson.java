package io.annexsync.netmap.render;

import io.annexsync.netmap.graph.Link;
import io.annexsync.netmap.graph.RepoId;
import io.annexsync.netmap.map.LinkRecord;
import io.annexsync.netmap.map.NetworkMap;
import io.annexsync.netmap.plan.TransferPlan;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns the map and a key's plan into JSON-ready values: ordered {@code Map<String, Object>}s, lists, strings,
 * numbers and booleans, which {@link JsonWriter} (or the app's JSON library) writes. Absent values are left out,
 * never {@code null}. Stateless and thread-safe.
 */
public final class MapJson {

    private MapJson() {
    }

    /**
     * The JSON value of a map and, optionally, one key's plan: {@code {"repositories": [...], "links": [...],
     * "plan": {...}}}.
     *
     * @param map  the network map
     * @param plan the plan of one key at this repository
     * @return an ordered, unmodifiable map
     */
    public static Map<String, Object> toJson(NetworkMap map, Optional<TransferPlan> plan) {
        Objects.requireNonNull(map, "map");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("repositories", map.repositories().stream().map(r -> repository(map, r)).toList());
        json.put("links", map.records().stream().map(MapJson::link).toList());
        Objects.requireNonNull(plan, "plan").ifPresent(p -> json.put("plan", plan(p)));
        return Collections.unmodifiableMap(json);
    }

    private static Map<String, Object> repository(NetworkMap map, RepoId repo) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uuid", repo.uuid());
        map.description(repo).ifPresent(d -> json.put("description", d));
        return json;
    }

    private static Map<String, Object> link(LinkRecord r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("from", r.from().uuid());
        json.put("to", r.to().uuid());
        json.put("cost", r.cost());
        json.put("seen", r.seen().toString());
        return json;
    }

    private static Map<String, Object> plan(TransferPlan plan) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("here", plan.here().uuid());
        json.put("holders", uuids(List.copyOf(plan.holders())));
        plan.downloadFrom().ifPresent(r -> json.put("downloadFrom", r.uuid()));
        json.put("uploadTo", uuids(plan.uploadTo()));
        json.put("flooding", plan.flooding());
        plan.fallback().ifPresent(f -> json.put("fallback", fallback(f.reason().name(), f.detail())));
        json.put("routeCost", plan.tree().totalCost());
        json.put("route", plan.tree().parentLinks().values().stream().map(MapJson::treeLink).toList());
        json.put("unreachable", uuids(List.copyOf(plan.unreachable())));
        return json;
    }

    private static Map<String, Object> fallback(String reason, String detail) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("reason", reason);
        json.put("detail", detail);
        return json;
    }

    private static Map<String, Object> treeLink(Link link) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("from", link.from().uuid());
        json.put("to", link.to().uuid());
        json.put("cost", link.cost());
        return json;
    }

    private static List<String> uuids(List<RepoId> repos) {
        return repos.stream().map(RepoId::uuid).toList();
    }
}
