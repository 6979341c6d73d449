package io.imagegate.registry;

import io.imagegate.reference.Digest;

import java.io.IOException;

/** Content did not hash to the digest it was asked for; whatever carried it is abandoned. */
public final class DigestMismatchException extends IOException {
    private final Digest expected;
    private final String actual;

    public DigestMismatchException(String what, Digest expected, String actual, long expectedSize, long actualSize) {
        super(what + " does not match its digest: expected " + expected + " (" + expectedSize + " bytes), got "
                + actual + " (" + actualSize + " bytes)");
        this.expected = expected;
        this.actual = actual;
    }

    public Digest expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
