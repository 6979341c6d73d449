package io.imagegate.api;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What every operation shares: the {@link Environment}, per-registry settings, the HTTP proxies,
 * and the bounds of every registry exchange. Serializable, so a Jenkins controller can send it to
 * the agent that does the work.
 *
 * @param environment the machine's view (variables, home, working directory)
 * @param registries settings per registry (later entries for the same registry win)
 * @param exchangeTimeout the longest one small registry exchange (ping, token, manifest) may take
 * @param maxRetryAfter the longest {@code Retry-After} waited out; longer waits fail at once
 * @param proxies HTTP proxies registries are reached through (the first for a scheme wins); empty
 *     for none
 */
public record Settings(
        Environment environment,
        List<RegistrySettings> registries,
        Duration exchangeTimeout,
        Duration maxRetryAfter,
        List<ProxySettings> proxies)
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
            throw ImageGateException.usage(
                    Field.TIMEOUT,
                    "settings.exchange-timeout",
                    "the registry exchange timeout must be positive");
        }
        proxies = proxies == null ? List.of() : List.copyOf(proxies);
    }

    /** Settings without proxies. */
    public Settings(
            Environment environment,
            List<RegistrySettings> registries,
            Duration exchangeTimeout,
            Duration maxRetryAfter) {
        this(environment, registries, exchangeTimeout, maxRetryAfter, List.of());
    }

    public static Settings of(Environment environment) {
        return new Settings(environment, List.of(), null, null, List.of());
    }

    /** These settings with one more registry's (merged over any earlier ones for it). */
    public Settings withRegistry(RegistrySettings registry) {
        List<RegistrySettings> all = new ArrayList<>(registries);
        all.add(registry);
        return new Settings(environment, all, exchangeTimeout, maxRetryAfter, proxies);
    }

    /**
     * These settings with one more proxy (used for its scheme unless an earlier proxy serves it
     * already).
     */
    public Settings withProxy(ProxySettings proxy) {
        List<ProxySettings> all = new ArrayList<>(proxies);
        all.add(proxy);
        return new Settings(environment, registries, exchangeTimeout, maxRetryAfter, all);
    }

    public Settings withExchangeTimeout(Duration timeout) {
        return new Settings(environment, registries, timeout, maxRetryAfter, proxies);
    }

    public Settings withMaxRetryAfter(Duration cap) {
        return new Settings(environment, registries, exchangeTimeout, cap, proxies);
    }

    public Settings withEnvironment(Environment other) {
        return new Settings(other, registries, exchangeTimeout, maxRetryAfter, proxies);
    }
}
