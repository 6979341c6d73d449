package io.imagegate.trust;

/**
 * A signature artifact that cannot count: malformed, signed by no listed key, or signed for
 * something else. Its message is the reason, for people; it never carries key material.
 */
final class InvalidSignatureException extends Exception {
    InvalidSignatureException(String reason) {
        super(reason, null, false, false);
    }
}
