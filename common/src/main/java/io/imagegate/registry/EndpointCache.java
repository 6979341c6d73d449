package io.imagegate.registry;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What the {@code /v2/} pings learnt — each registry's API base and auth challenge — kept for a few minutes across
 * the clients of one API instance: a long-lived JVM (a Maven reactor, a Jenkins controller) calling the API again and
 * again pings a registry once, not once per operation. Only answered pings are kept, and a challenge that changes is
 * learnt again from the 401 that carries it, so a stale entry costs one request, never a wrong answer. The clients
 * sharing a cache must share their transport options (whether a registry may be reached over plain HTTP decides
 * the base).
 */
public final class EndpointCache {
    static final Duration TIME_TO_LIVE = Duration.ofMinutes(5);

    private record Entry(Endpoints.Endpoint endpoint, long expiresAtNanos) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    public EndpointCache() {
        this(System::nanoTime);
    }

    EndpointCache(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    Optional<Endpoints.Endpoint> get(String registry) {
        Entry entry = entries.get(registry);
        if (entry == null) {
            return Optional.empty();
        }
        if (nanoTime.getAsLong() - entry.expiresAtNanos() >= 0) {
            entries.remove(registry, entry);
            return Optional.empty();
        }
        return Optional.of(entry.endpoint());
    }

    void put(Endpoints.Endpoint endpoint) {
        entries.put(endpoint.registry(), new Entry(endpoint, nanoTime.getAsLong() + TIME_TO_LIVE.toNanos()));
    }
}
