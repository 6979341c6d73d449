package io.imagegate.gate;

import io.imagegate.message.Message;
import io.imagegate.reference.ImageReference;
import java.util.List;
import java.util.Optional;

/**
 * "Is this image vetted?" — pluggable: the registry-backed check reads the verdicts recorded beside
 * the image. Returns empty when vetted, else why not.
 */
@FunctionalInterface
public interface VettingCheck {
    Optional<Message> notVetted(ImageReference image);

    /**
     * Looks up {@code images} ahead, in parallel where the check can, so that {@link #notVetted}
     * then answers from what it found; what the look-ups conclude, errors included, is the same
     * either way.
     */
    default void prefetch(List<ImageReference> images) {}

    /** Accepts everything: the gate then checks only trusted prefixes and pinning. */
    static VettingCheck none() {
        return image -> Optional.empty();
    }
}
