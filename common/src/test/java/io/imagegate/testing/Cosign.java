package io.imagegate.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * cosign v3.1.3 ({@code github.com/sigstore/cosign/v3}, installed pinned by scripts/setup with {@code go install}), the
 * independent signer and verifier: what it accepts, Kyverno and Ratify accept. Passwords reach it only through its
 * environment ({@code COSIGN_PASSWORD}), never its arguments. A missing binary fails the tests.
 */
public final class Cosign {
    private static final ToolProcess COSIGN = new ToolProcess("cosign", "IMAGEGATE_COSIGN_BIN",
            "go install github.com/sigstore/cosign/v3/cmd/cosign@v3.1.3");

    private Cosign() {
    }

    public static Path binary() {
        return COSIGN.binary();
    }

    /** Runs {@code cosign ARGS…} in {@code dir}; a non-zero exit fails with its output. */
    public static String run(Path dir, Map<String, String> environment, String... args) {
        return COSIGN.run(dir, environment, args);
    }

    /** Runs {@code cosign ARGS…} in {@code dir} and returns how it ended. */
    public static ToolProcess.Run attempt(Path dir, Map<String, String> environment, String... args) {
        return COSIGN.attempt(dir, environment, args);
    }

    /** A key pair as {@code cosign generate-key-pair} writes it: {@code dir/cosign.key} (encrypted) and {@code dir/cosign.pub}. */
    public static KeyPair generateKeyPair(Path dir, String password) {
        run(dir, Map.of("COSIGN_PASSWORD", password), "generate-key-pair");
        Path key = dir.resolve("cosign.key");
        Path pub = dir.resolve("cosign.pub");
        if (!Files.isRegularFile(key) || !Files.isRegularFile(pub)) {
            throw new IllegalStateException("cosign generate-key-pair wrote no key pair in " + dir);
        }
        return new KeyPair(key, pub);
    }

    /** The files of a key pair. */
    public record KeyPair(Path privateKey, Path publicKey) {
    }
}
