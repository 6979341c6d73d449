package io.imagegate.reference;

import io.imagegate.ImageGateException;

/** An image reference or digest that breaks the distribution reference grammar. */
public final class InvalidReferenceException extends ImageGateException {
    public InvalidReferenceException(String input, String rule) {
        super("invalid image reference \"" + input + "\": " + rule);
    }
}
