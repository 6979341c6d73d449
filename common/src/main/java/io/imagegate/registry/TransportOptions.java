package io.imagegate.registry;

import io.imagegate.reference.ImageReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How to reach registries: settings per registry ({@link RegistryConfig}), and the bounds every
 * exchange keeps so that no registry can hold imagegate as long as it likes. The copy engine and
 * the Trivy runner read the same options, so a registry reachable for one is reachable for the
 * other.
 *
 * @param registries settings by registry ({@code host[:port]} or {@code host}); the entry under ""
 *     is the default
 * @param connectTimeout TCP connect timeout
 * @param exchangeTimeout the longest a small exchange (ping, token, manifest, blob HEAD, upload
 *     start) may take, body included; it is not retried when it runs out
 * @param transferTimeout the longest one blob transfer may take
 * @param minTransferRate bytes per second a blob transfer must keep up over each {@code
 *     stallWindow}
 * @param stallWindow the window the transfer rate is measured over
 * @param maxRetryAfter the longest {@code Retry-After} waited out; a registry asking for more fails
 *     the request at once
 * @param maxRetries retries after connection errors, 429 and 5xx
 * @param proxies HTTP proxies by the scheme of the registry URLs they serve ({@code http}, {@code
 *     https})
 */
public record TransportOptions(
        Map<String, RegistryConfig> registries,
        Duration connectTimeout,
        Duration exchangeTimeout,
        Duration transferTimeout,
        long minTransferRate,
        Duration stallWindow,
        Duration maxRetryAfter,
        int maxRetries,
        Map<String, ProxyConfig> proxies) {

    public TransportOptions {
        Map<String, RegistryConfig> copy = new LinkedHashMap<>();
        registries.values().forEach(c -> copy.put(c.registry(), c));
        copy.putIfAbsent("", RegistryConfig.defaults());
        registries = Map.copyOf(copy);
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0");
        }
        proxies = Map.copyOf(proxies);
    }

    /** Options without proxies. */
    public TransportOptions(
            Map<String, RegistryConfig> registries,
            Duration connectTimeout,
            Duration exchangeTimeout,
            Duration transferTimeout,
            long minTransferRate,
            Duration stallWindow,
            Duration maxRetryAfter,
            int maxRetries) {
        this(
                registries,
                connectTimeout,
                exchangeTimeout,
                transferTimeout,
                minTransferRate,
                stallWindow,
                maxRetryAfter,
                maxRetries,
                Map.of());
    }

    public static TransportOptions defaults() {
        return new TransportOptions(
                Map.of(),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofMinutes(30),
                16 * 1024,
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                5);
    }

    /**
     * Adds (or replaces) the settings of one registry; {@link RegistryConfig#defaults()}-like
     * entries with "" replace the default.
     */
    public TransportOptions withRegistry(RegistryConfig config) {
        Map<String, RegistryConfig> copy = new LinkedHashMap<>(registries);
        copy.put(config.registry(), config);
        return new TransportOptions(
                copy,
                connectTimeout,
                exchangeTimeout,
                transferTimeout,
                minTransferRate,
                stallWindow,
                maxRetryAfter,
                maxRetries,
                proxies);
    }

    /** Allows plain HTTP for these registries ({@code host[:port]} or {@code host}). */
    public TransportOptions withInsecureRegistries(Set<String> hosts) {
        TransportOptions out = this;
        for (String host : hosts) {
            out =
                    out.withRegistry(
                            out.exact(host).orElse(RegistryConfig.of(host)).withPlainHttp(true));
        }
        return out;
    }

    /** Trusts the CAs in {@code file} for every registry without a CA file of its own. */
    public TransportOptions withCaFile(Path file) {
        return withRegistry(registries.get("").withCaFile(file));
    }

    public TransportOptions withTimeouts(Duration connect, Duration exchange, Duration transfer) {
        return new TransportOptions(
                registries,
                connect,
                exchange,
                transfer,
                minTransferRate,
                stallWindow,
                maxRetryAfter,
                maxRetries,
                proxies);
    }

    public TransportOptions withStallDetection(long bytesPerSecond, Duration window) {
        return new TransportOptions(
                registries,
                connectTimeout,
                exchangeTimeout,
                transferTimeout,
                bytesPerSecond,
                window,
                maxRetryAfter,
                maxRetries,
                proxies);
    }

    public TransportOptions withMaxRetryAfter(Duration cap) {
        return new TransportOptions(
                registries,
                connectTimeout,
                exchangeTimeout,
                transferTimeout,
                minTransferRate,
                stallWindow,
                cap,
                maxRetries,
                proxies);
    }

    public TransportOptions withMaxRetries(int retries) {
        return new TransportOptions(
                registries,
                connectTimeout,
                exchangeTimeout,
                transferTimeout,
                minTransferRate,
                stallWindow,
                maxRetryAfter,
                retries,
                proxies);
    }

    /**
     * Reaches registries whose URLs have {@code proxy.scheme()} through this proxy; the first proxy
     * given for a scheme wins.
     */
    public TransportOptions withProxy(ProxyConfig proxy) {
        if (proxies.containsKey(proxy.scheme())) {
            return this;
        }
        Map<String, ProxyConfig> copy = new LinkedHashMap<>(proxies);
        copy.put(proxy.scheme(), proxy);
        return new TransportOptions(
                registries,
                connectTimeout,
                exchangeTimeout,
                transferTimeout,
                minTransferRate,
                stallWindow,
                maxRetryAfter,
                maxRetries,
                copy);
    }

    /**
     * The proxy for a URL of this scheme and host (no port): the scheme's own proxy, else for
     * {@code https} the {@code http} one (as Maven chooses); none when the host is one of the
     * proxy's {@code nonProxyHosts}.
     */
    public Optional<ProxyConfig> proxyFor(String scheme, String host) {
        String lower = scheme.toLowerCase(Locale.ROOT);
        ProxyConfig proxy = proxies.get(lower);
        if (proxy == null && lower.equals("https")) {
            proxy = proxies.get("http");
        }
        return proxy == null || proxy.bypasses(host) ? Optional.empty() : Optional.of(proxy);
    }

    private Optional<RegistryConfig> exact(String registry) {
        return Optional.ofNullable(registries.get(registry.toLowerCase(Locale.ROOT)));
    }

    /**
     * The settings of a registry: its own ({@code host:port}), else its host's ({@code host}), else
     * the default. Fields a registry's own entry leaves unset (the CA file) come from the default.
     */
    public RegistryConfig config(String registry) {
        String lower = registry.toLowerCase(Locale.ROOT);
        RegistryConfig fallback = registries.get("");
        RegistryConfig own =
                exact(lower).or(() -> exact(ImageReference.hostOf(lower))).orElse(fallback);
        return own.caFile().isPresent() ? own : own.withCaFile(fallback.caFile().orElse(null));
    }

    /**
     * Whether plain HTTP may be used for this registry ({@code host[:port]}): configured, or
     * loopback.
     */
    public boolean allowsPlainHttp(String registry) {
        String host = ImageReference.hostOf(registry.toLowerCase(Locale.ROOT));
        return config(registry).plainHttp() || ImageReference.isLoopbackHost(host);
    }

    /** The CA file for a registry, if any. */
    public Optional<Path> caFile(String registry) {
        return config(registry).caFile();
    }
}
