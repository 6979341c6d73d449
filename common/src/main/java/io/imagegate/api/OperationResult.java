package io.imagegate.api;

import io.imagegate.message.ImageGateException;
import java.util.Optional;

/**
 * What every operation returns: an {@link Outcome}, and for {@link Outcome#ERROR} the typed error.
 */
public interface OperationResult {
    Outcome outcome();

    /** The failure, when the outcome is {@link Outcome#ERROR}. */
    Optional<ImageGateException> error();

    /** Shorthand for {@code outcome() == PASSED}. */
    default boolean passed() {
        return outcome() == Outcome.PASSED;
    }
}
