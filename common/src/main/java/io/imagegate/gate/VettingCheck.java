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

    /**
     * The upstream image the recorded verdicts of {@code image} say it was vetted from, read by a
     * {@link #notVetted} call before (no registry is asked again); empty when none is recorded.
     */
    default Optional<ImageReference> recordedSource(ImageReference image) {
        return Optional.empty();
    }

    /** Accepts everything: the gate then checks only trusted prefixes and pinning. */
    static VettingCheck none() {
        return image -> Optional.empty();
    }
}
