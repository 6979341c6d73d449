package io.imagegate.oci;

import io.imagegate.reference.Digest;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An OCI content descriptor: what a manifest or index points at. In a referrers index, descriptors
 * also carry the referrer's {@code artifactType} and annotations.
 */
public record Descriptor(
        String mediaType,
        Digest digest,
        long size,
        Optional<Platform> platform,
        Optional<String> artifactType,
        Map<String, String> annotations) {
    public Descriptor {
        Objects.requireNonNull(digest, "digest");
        mediaType = mediaType == null ? "" : mediaType;
        platform = platform == null ? Optional.empty() : platform;
        artifactType = artifactType == null ? Optional.empty() : artifactType;
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public Descriptor(String mediaType, Digest digest, long size, Optional<Platform> platform) {
        this(mediaType, digest, size, platform, Optional.empty(), Map.of());
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, Optional.empty(), Optional.empty(), Map.of());
    }

    public Optional<String> annotation(String key) {
        return Optional.ofNullable(annotations.get(key));
    }
}
