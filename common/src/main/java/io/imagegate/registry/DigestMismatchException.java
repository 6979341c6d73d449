package io.imagegate.registry;

import io.imagegate.reference.Digest;
import java.io.IOException;

/** Content did not hash to the digest it was asked for; whatever carried it is abandoned. */
public final class DigestMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String what;
    private final Digest expected;
    private final String actual;
    private final long expectedSize;
    private final long actualSize;

    public DigestMismatchException(
            String what, Digest expected, String actual, long expectedSize, long actualSize) {
        super(
                what
                        + " does not match its digest: expected "
                        + expected
                        + " ("
                        + expectedSize
                        + " bytes), got "
                        + (actual.equals(expected.toString())
                                ? "the same digest over "
                                : actual + " over ")
                        + actualSize
                        + " bytes");
        this.what = what;
        this.expected = expected;
        this.actual = actual;
        this.expectedSize = expectedSize;
        this.actualSize = actualSize;
    }

    public String what() {
        return what;
    }

    public Digest expected() {
        return expected;
    }

    /** The digest of what was read; equal to the expected one when only the size differs. */
    public String actual() {
        return actual;
    }

    public long expectedSize() {
        return expectedSize;
    }

    public long actualSize() {
        return actualSize;
    }
}
