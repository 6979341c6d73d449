package io.imagegate.oci;

import io.imagegate.reference.Digest;

import java.util.Objects;
import java.util.Optional;

/** An OCI content descriptor: what a manifest or index points at. */
public record Descriptor(String mediaType, Digest digest, long size, Optional<Platform> platform) {
    public Descriptor {
        Objects.requireNonNull(digest, "digest");
        mediaType = mediaType == null ? "" : mediaType;
        platform = platform == null ? Optional.empty() : platform;
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, Optional.empty());
    }
}
