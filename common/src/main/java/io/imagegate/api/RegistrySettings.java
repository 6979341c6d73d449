package io.imagegate.api;

import java.io.Serializable;
import java.util.Locale;
import java.util.Optional;

/**
 * How to reach one registry: TLS or plain HTTP, an extra CA file, chunked uploads, and where its
 * credentials come from. {@code registry} is {@code host[:port]} as written in image references, or
 * a bare {@code host} for every port of it; an empty {@code registry} holds the defaults for
 * registries not named otherwise. Docker Hub's aliases ({@code index.docker.io}, {@code
 * registry-1.docker.io}) are {@code docker.io}, as references name it.
 *
 * <p>{@code anonymous}: no stored credentials are used for this registry (neither given ones nor
 * Docker's config), for a registry that allows anonymous pulls but refuses the credentials a
 * machine holds for it (a stale {@code docker login}).
 */
public record RegistrySettings(
        String registry,
        boolean plainHttp,
        Optional<String> caFile,
        Optional<Long> chunkSizeBytes,
        Optional<CredentialRef> credentials,
        boolean anonymous)
        implements Serializable {
    public RegistrySettings(
            String registry,
            boolean plainHttp,
            Optional<String> caFile,
            Optional<Long> chunkSizeBytes,
            Optional<CredentialRef> credentials) {
        this(registry, plainHttp, caFile, chunkSizeBytes, credentials, false);
    }

    public RegistrySettings {
        registry = registry == null ? "" : registry.strip().toLowerCase(Locale.ROOT);
        // keyed as references name registries, so index.docker.io's settings are docker.io's
        registry = io.imagegate.reference.ImageReference.registryKey(registry).orElse(registry);
        caFile = caFile == null ? Optional.empty() : caFile;
        chunkSizeBytes = chunkSizeBytes == null ? Optional.empty() : chunkSizeBytes;
        credentials = credentials == null ? Optional.empty() : credentials;
    }

    public static RegistrySettings of(String registry) {
        return new RegistrySettings(
                registry, false, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The defaults for every registry not named otherwise. */
    public static RegistrySettings defaults() {
        return of("");
    }

    public RegistrySettings withPlainHttp(boolean allowed) {
        return new RegistrySettings(
                registry, allowed, caFile, chunkSizeBytes, credentials, anonymous);
    }

    public RegistrySettings withCaFile(String file) {
        return new RegistrySettings(
                registry,
                plainHttp,
                Optional.ofNullable(file),
                chunkSizeBytes,
                credentials,
                anonymous);
    }

    public RegistrySettings withChunkSize(long bytes) {
        return new RegistrySettings(
                registry, plainHttp, caFile, Optional.of(bytes), credentials, anonymous);
    }

    public RegistrySettings withCredentials(CredentialRef ref) {
        return new RegistrySettings(
                registry, plainHttp, caFile, chunkSizeBytes, Optional.ofNullable(ref), anonymous);
    }

    /** No stored credentials for this registry: see the class comment. */
    public RegistrySettings withAnonymous(boolean skipCredentials) {
        return new RegistrySettings(
                registry, plainHttp, caFile, chunkSizeBytes, credentials, skipCredentials);
    }

    /**
     * {@link Optional} is not serializable, so the settings travel as their plain values and are
     * rebuilt through the constructor on the other side (a Jenkins agent).
     */
    private Object writeReplace() {
        return new Serialized(
                registry,
                plainHttp,
                caFile.orElse(null),
                chunkSizeBytes.orElse(null),
                credentials.orElse(null),
                anonymous);
    }

    private record Serialized(
            String registry,
            boolean plainHttp,
            String caFile,
            Long chunkSizeBytes,
            CredentialRef credentials,
            boolean anonymous)
            implements Serializable {
        private Object readResolve() {
            return new RegistrySettings(
                    registry,
                    plainHttp,
                    Optional.ofNullable(caFile),
                    Optional.ofNullable(chunkSizeBytes),
                    Optional.ofNullable(credentials),
                    anonymous);
        }
    }

    /** Settings for the same registry, this one's values taking precedence over {@code other}'s. */
    public RegistrySettings over(RegistrySettings other) {
        return new RegistrySettings(
                registry,
                plainHttp || other.plainHttp,
                caFile.or(other::caFile),
                chunkSizeBytes.or(other::chunkSizeBytes),
                credentials.or(other::credentials),
                anonymous || other.anonymous);
    }
}
