package io.imagegate.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * cosign v3.1.3 ({@code github.com/sigstore/cosign/v3}, installed pinned by scripts/setup with
 * {@code go install}), the independent signer and verifier: what it accepts, Kyverno and Ratify
 * accept. Passwords reach it only through its environment ({@code COSIGN_PASSWORD}), never its
 * arguments. A missing binary fails the tests.
 */
public final class Cosign {
    private static final ToolProcess COSIGN =
            new ToolProcess(
                    "cosign",
                    "IMAGEGATE_COSIGN_BIN",
                    "go install github.com/sigstore/cosign/v3/cmd/cosign@v3.1.3");

    private Cosign() {}

    public static Path binary() {
        return COSIGN.binary();
    }

    /** Runs {@code cosign ARGS…} in {@code dir}; a non-zero exit fails with its output. */
    public static String run(Path dir, Map<String, String> environment, String... args) {
        return COSIGN.run(dir, environment, args);
    }

    /** Runs {@code cosign ARGS…} in {@code dir} and returns how it ended. */
    public static ToolProcess.Run attempt(
            Path dir, Map<String, String> environment, String... args) {
        return COSIGN.attempt(dir, environment, args);
    }

    /**
     * A key pair as {@code cosign generate-key-pair} writes it: {@code dir/cosign.key} (encrypted)
     * and {@code dir/cosign.pub}.
     */
    public static KeyPair generateKeyPair(Path dir, String password) {
        return generateKeyPair(dir, "cosign", password);
    }

    /**
     * Generates a key pair named {@code prefix}.key / {@code prefix}.pub in {@code dir}, encrypted
     * with {@code password}.
     */
    public static KeyPair generateKeyPair(Path dir, String prefix, String password) {
        run(
                dir,
                Map.of("COSIGN_PASSWORD", password),
                "generate-key-pair",
                "--output-key-prefix",
                prefix);
        KeyPair pair =
                new KeyPair(dir.resolve(prefix + ".key"), dir.resolve(prefix + ".pub"), password);
        if (!Files.isRegularFile(pair.privateKey()) || !Files.isRegularFile(pair.publicKey())) {
            throw new IllegalStateException(
                    "cosign generate-key-pair wrote no " + prefix + ".key/.pub in " + dir);
        }
        return pair;
    }

    /**
     * Signs {@code imageByDigest} with {@code key}, offline: with {@code newBundleFormat} a
     * Sigstore bundle pushed as an OCI referrer (cosign v3's default), else the legacy
     * simple-signing layer under the {@code sha256-<hex>.sig} tag.
     */
    public static void sign(String imageByDigest, KeyPair key, boolean newBundleFormat) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "sign",
                                "--key",
                                key.privateKey().toString(),
                                "--use-signing-config=false",
                                "--tlog-upload=false",
                                "--yes",
                                "--allow-http-registry"));
        if (!newBundleFormat) {
            args.add("--new-bundle-format=false");
        }
        args.add(imageByDigest);
        run(null, Map.of("COSIGN_PASSWORD", key.password()), args.toArray(String[]::new));
    }

    /**
     * {@code cosign verify --key PUB --insecure-ignore-tlog IMAGE}: its output; fails the test when
     * cosign refuses.
     */
    public static String verify(String image, Path publicKey) {
        return run(
                null,
                Map.of(),
                "verify",
                "--key",
                publicKey.toString(),
                "--insecure-ignore-tlog",
                "--allow-http-registry",
                image);
    }

    /** The files of a key pair, and the password that opens its private key. */
    public record KeyPair(Path privateKey, Path publicKey, String password) {}
}
