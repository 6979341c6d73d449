package io.imagegate.api;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What every operation shares: the {@link Environment}, per-registry settings, and the bounds of every registry
 * exchange. Serializable, so a Jenkins controller can send it to the agent that does the work.
 *
 * @param environment     the machine's view (variables, home, working directory)
 * @param registries      settings per registry (later entries for the same registry win)
 * @param exchangeTimeout the longest one small registry exchange (ping, token, manifest) may take
 * @param maxRetryAfter   the longest {@code Retry-After} waited out; longer waits fail at once
 */
public record Settings(Environment environment, List<RegistrySettings> registries, Duration exchangeTimeout, Duration maxRetryAfter)
        implements Serializable {
    public static final Duration DEFAULT_EXCHANGE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);

    public Settings {
        Objects.requireNonNull(environment, "environment");
        Map<String, RegistrySettings> merged = new LinkedHashMap<>();
        for (RegistrySettings r : registries) {
            merged.merge(r.registry(), r, (old, newer) -> newer.over(old));
        }
        registries = List.copyOf(merged.values());
        exchangeTimeout = exchangeTimeout == null ? DEFAULT_EXCHANGE_TIMEOUT : exchangeTimeout;
        maxRetryAfter = maxRetryAfter == null ? DEFAULT_MAX_RETRY_AFTER : maxRetryAfter;
        if (exchangeTimeout.isNegative() || exchangeTimeout.isZero()) {
            throw ImageGateException.usage(Field.TIMEOUT, "settings.exchange-timeout", "the registry exchange timeout must be positive");
        }
    }

    public static Settings of(Environment environment) {
        return new Settings(environment, List.of(), null, null);
    }

    /** These settings with one more registry's (merged over any earlier ones for it). */
    public Settings withRegistry(RegistrySettings registry) {
        List<RegistrySettings> all = new ArrayList<>(registries);
        all.add(registry);
        return new Settings(environment, all, exchangeTimeout, maxRetryAfter);
    }

    public Settings withExchangeTimeout(Duration timeout) {
        return new Settings(environment, registries, timeout, maxRetryAfter);
    }

    public Settings withMaxRetryAfter(Duration cap) {
        return new Settings(environment, registries, exchangeTimeout, cap);
    }

    public Settings withEnvironment(Environment other) {
        return new Settings(other, registries, exchangeTimeout, maxRetryAfter);
    }
}
