package io.imagegate.gate;

import io.imagegate.reference.ImageReference;

import java.util.Optional;

/**
 * "Is this image vetted?" — pluggable, so the gate works before the registry-backed check (verdicts recorded
 * beside the image) exists. Returns empty when vetted, else why not.
 */
@FunctionalInterface
public interface VettingCheck {
    Optional<String> notVetted(ImageReference image);

    /** Accepts everything: the gate then checks only trusted prefixes and pinning. */
    static VettingCheck none() {
        return image -> Optional.empty();
    }
}
