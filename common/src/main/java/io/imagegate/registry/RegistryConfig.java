package io.imagegate.registry;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How to reach one registry: whether plain HTTP is allowed, which extra CA to trust, and whether
 * blobs go up in chunks (for a registry behind a proxy that caps request bodies).
 *
 * @param registry {@code host[:port]} as written in references, or {@code host} to match every
 *     port; empty for the settings that apply to every registry not named otherwise
 * @param plainHttp plain HTTP allowed (loopback registries always are)
 * @param caFile a PEM file of CA certificates trusted besides the JVM's trust store
 * @param chunkSize upload blobs larger than this in PATCH chunks of this size; empty for one PUT
 *     per blob
 */
public record RegistryConfig(
        String registry, boolean plainHttp, Optional<Path> caFile, OptionalLong chunkSize) {
    public RegistryConfig {
        registry = registry == null ? "" : registry.strip().toLowerCase(Locale.ROOT);
        caFile = caFile == null ? Optional.empty() : caFile;
        chunkSize = chunkSize == null ? OptionalLong.empty() : chunkSize;
    }

    /**
     * The settings for registries nobody configured: HTTPS with the JVM's trust store, one PUT per
     * blob.
     */
    public static RegistryConfig defaults() {
        return new RegistryConfig("", false, Optional.empty(), OptionalLong.empty());
    }

    public static RegistryConfig of(String registry) {
        return new RegistryConfig(registry, false, Optional.empty(), OptionalLong.empty());
    }

    public RegistryConfig withPlainHttp(boolean allowed) {
        return new RegistryConfig(registry, allowed, caFile, chunkSize);
    }

    public RegistryConfig withCaFile(Path file) {
        return new RegistryConfig(registry, plainHttp, Optional.ofNullable(file), chunkSize);
    }

    public RegistryConfig withChunkSize(long bytes) {
        return new RegistryConfig(
                registry,
                plainHttp,
                caFile,
                bytes > 0 ? OptionalLong.of(bytes) : OptionalLong.empty());
    }
}
