package io.imagegate.registry;

import io.imagegate.reference.ImageReference;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How to reach registries: TLS trust, which registries may use plain HTTP, timeouts and retries.
 * The copy engine and the Trivy runner read the same options, so a registry reachable for one is reachable
 * for the other.
 *
 * @param insecureRegistries registries ({@code host[:port]}) allowed over plain HTTP; loopback always is
 * @param caFile             a PEM file of extra CA certificates trusted besides the JVM's trust store
 * @param connectTimeout     TCP connect timeout
 * @param readTimeout        longest silence while reading a response
 * @param requestTimeout     longest time for one whole request, body included
 * @param maxRetries         retries after connection errors, 5xx and 429
 */
public record TransportOptions(
        Set<String> insecureRegistries,
        Optional<Path> caFile,
        Duration connectTimeout,
        Duration readTimeout,
        Duration requestTimeout,
        int maxRetries) {

    public TransportOptions {
        insecureRegistries = insecureRegistries.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        caFile = caFile == null ? Optional.empty() : caFile;
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0");
        }
    }

    public static TransportOptions defaults() {
        return new TransportOptions(Set.of(), Optional.empty(), Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofMinutes(30), 5);
    }

    public TransportOptions withInsecureRegistries(Set<String> registries) {
        return new TransportOptions(registries, caFile, connectTimeout, readTimeout, requestTimeout, maxRetries);
    }

    public TransportOptions withCaFile(Path file) {
        return new TransportOptions(insecureRegistries, Optional.ofNullable(file), connectTimeout, readTimeout, requestTimeout, maxRetries);
    }

    public TransportOptions withTimeouts(Duration connect, Duration read, Duration request) {
        return new TransportOptions(insecureRegistries, caFile, connect, read, request, maxRetries);
    }

    public TransportOptions withMaxRetries(int retries) {
        return new TransportOptions(insecureRegistries, caFile, connectTimeout, readTimeout, requestTimeout, retries);
    }

    /** Whether plain HTTP may be used for this registry ({@code host[:port]}). */
    public boolean allowsPlainHttp(String registry) {
        String lower = registry.toLowerCase(Locale.ROOT);
        String host = ImageReference.hostOf(lower);
        return insecureRegistries.contains(lower) || insecureRegistries.contains(host)
                || host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }
}
