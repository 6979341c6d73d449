package io.imagegate.registry;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A set of token scopes such as {@code repository:library/alpine:pull}. Actions on the same
 * repository are merged, so {@code pull} and {@code push} become {@code repository:x:pull,push}.
 */
public record Scopes(Set<String> values) {
    public Scopes {
        values = Set.copyOf(merge(values));
    }

    public static Scopes none() {
        return new Scopes(Set.of());
    }

    public static Scopes pull(String repository) {
        return new Scopes(Set.of("repository:" + repository + ":pull"));
    }

    public static Scopes pushPull(String repository) {
        return new Scopes(Set.of("repository:" + repository + ":pull,push"));
    }

    public Scopes plus(Scopes other) {
        Set<String> all = new TreeSet<>(values);
        all.addAll(other.values);
        return new Scopes(all);
    }

    public Scopes plus(String scope) {
        Set<String> all = new TreeSet<>(values);
        all.add(scope);
        return new Scopes(all);
    }

    /** Whether every action of {@code needed} is granted here. */
    public boolean covers(Scopes needed) {
        Map<String, Set<String>> have = byResource(values);
        for (Map.Entry<String, Set<String>> e : byResource(needed.values).entrySet()) {
            Set<String> actions = have.get(e.getKey());
            if (actions == null || !(actions.containsAll(e.getValue()) || actions.contains("*"))) {
                return false;
            }
        }
        return true;
    }

    /** Sorted, for cache keys and URLs. */
    public Set<String> sorted() {
        return new TreeSet<>(values);
    }

    private static Set<String> merge(Collection<String> scopes) {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<String, Set<String>> e : byResource(scopes).entrySet()) {
            out.add(e.getKey() + ":" + String.join(",", e.getValue()));
        }
        return out;
    }

    private static Map<String, Set<String>> byResource(Collection<String> scopes) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String scope : scopes) {
            int lastColon = scope.lastIndexOf(':');
            if (lastColon <= 0) {
                out.computeIfAbsent(scope, k -> new TreeSet<>());
                continue;
            }
            Set<String> actions =
                    out.computeIfAbsent(scope.substring(0, lastColon), k -> new TreeSet<>());
            for (String action : scope.substring(lastColon + 1).split(",")) {
                if (!action.isBlank()) {
                    actions.add(action.strip());
                }
            }
        }
        return out;
    }
}
