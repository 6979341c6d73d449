package io.imagegate.gate;

import io.imagegate.message.Message;
import io.imagegate.reference.ImageReference;

import java.util.Optional;

/**
 * "Is this image vetted?" — pluggable: the registry-backed check reads the verdicts recorded beside the image.
 * Returns empty when vetted, else why not.
 */
@FunctionalInterface
public interface VettingCheck {
    Optional<Message> notVetted(ImageReference image);

    /** Accepts everything: the gate then checks only trusted prefixes and pinning. */
    static VettingCheck none() {
        return image -> Optional.empty();
    }
}
