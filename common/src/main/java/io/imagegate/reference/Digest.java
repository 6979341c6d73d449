package io.imagegate.reference;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest, {@code algorithm:hex}, as in the OCI image spec. Only the registered algorithms
 * are accepted with their exact encodings (sha256: 64 lowercase hex, sha512: 128 lowercase hex).
 */
public record Digest(String algorithm, String hex) {
    private static final Pattern ALGORITHM = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*");
    private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

    public Digest {
        String text = algorithm + ":" + hex;
        if (!ALGORITHM.matcher(algorithm).matches()) {
            throw new InvalidReferenceException(
                    text, "digest algorithm must match [a-z0-9]+([.+_-][a-z0-9]+)*");
        }
        switch (algorithm) {
            case "sha256" -> {
                if (!SHA256.matcher(hex).matches()) {
                    throw new InvalidReferenceException(
                            text, "a sha256 digest is 64 lowercase hexadecimal characters");
                }
            }
            case "sha512" -> {
                if (!SHA512.matcher(hex).matches()) {
                    throw new InvalidReferenceException(
                            text, "a sha512 digest is 128 lowercase hexadecimal characters");
                }
            }
            default ->
                    throw new InvalidReferenceException(
                            text,
                            "unsupported digest algorithm \""
                                    + algorithm
                                    + "\" (use sha256 or sha512)");
        }
    }

    /** Parses {@code algorithm:hex}. */
    public static Digest parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidReferenceException(String.valueOf(text), "a digest must not be empty");
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new InvalidReferenceException(
                    text, "a digest has the form algorithm:hex, e.g. sha256:<64 hex>");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static Digest sha256(byte[] content) {
        return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(content)));
    }

    public static Digest sha256(String content) {
        return sha256(content.getBytes(StandardCharsets.UTF_8));
    }

    /** Wraps a finished SHA-256 hash. */
    public static Digest ofSha256(byte[] hash) {
        return new Digest("sha256", HexFormat.of().formatHex(hash));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** A fresh hasher for this digest's algorithm. */
    public MessageDigest newHasher() {
        try {
            return MessageDigest.getInstance("sha512".equals(algorithm) ? "SHA-512" : "SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no " + algorithm, e);
        }
    }

    /** Whether {@code content} hashes to this digest. */
    public boolean matches(byte[] content) {
        return HexFormat.of().formatHex(newHasher().digest(content)).equals(hex);
    }

    /** Short form for logs: {@code sha256:0123456789ab}. */
    public String shortForm() {
        return algorithm + ":" + hex.substring(0, Math.min(12, hex.length()));
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    // Written out rather than generated: a record's equals and hashCode are bootstrapped through
    // invokedynamic
    // on first use, which costs a short-lived process milliseconds on its critical path
    // (docs/performance.md).
    @Override
    public boolean equals(Object other) {
        return other instanceof Digest d && algorithm.equals(d.algorithm) && hex.equals(d.hex);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + hex.hashCode();
    }
}
