package io.imagegate.registry;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Bearer tokens per registry and scope set, kept until shortly before they expire. */
final class TokenCache {
    /** Renew this long before expiry, so a token does not run out mid-request. */
    private static final long MARGIN_SECONDS = 10;

    record Token(String value, Scopes scopes, Instant expires) {
        @Override
        public String toString() {
            return "Token[scopes=" + scopes + ", expires=" + expires + "]";
        }
    }

    private final Map<String, Map<Scopes, Token>> byRegistry = new ConcurrentHashMap<>();

    /** A live token whose scopes cover {@code needed}. */
    Optional<Token> find(String registry, Scopes needed) {
        Instant now = Instant.now();
        Map<Scopes, Token> tokens = byRegistry.get(registry);
        if (tokens == null) {
            return Optional.empty();
        }
        Token exact = tokens.get(needed);
        if (exact != null && exact.expires().isAfter(now.plusSeconds(MARGIN_SECONDS))) {
            return Optional.of(exact);
        }
        return tokens.values().stream()
                .filter(
                        t ->
                                t.expires().isAfter(now.plusSeconds(MARGIN_SECONDS))
                                        && t.scopes().covers(needed))
                .findFirst();
    }

    void put(String registry, Token token) {
        byRegistry
                .computeIfAbsent(registry, r -> new ConcurrentHashMap<>())
                .put(token.scopes(), token);
    }

    void invalidate(String registry, Scopes scopes) {
        Map<Scopes, Token> tokens = byRegistry.get(registry);
        if (tokens != null) {
            tokens.values().removeIf(t -> t.scopes().covers(scopes));
        }
    }
}
