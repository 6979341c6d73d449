package io.imagegate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A cosign key pair that signs and verifies images as an upstream publisher does ({@link Cosign},
 * the independent signer and verifier): what it signs upstream and verifies in the private
 * registry, Kyverno and Ratify see the same way. Offline only: no transparency log, no signing
 * config fetched, plain HTTP to the loopback registries. A key pair lives in a temporary directory
 * that {@link #close()} deletes; its password goes to cosign through the environment only ({@code
 * COSIGN_PASSWORD}), never an argument. A missing binary fails the tests.
 */
public final class CosignSigner implements AutoCloseable {
    private static final List<String> OFFLINE_SIGNING =
            List.of(
                    "--use-signing-config=false",
                    "--tlog-upload=false",
                    "--yes",
                    "--allow-http-registry");
    private static final List<String> OFFLINE_VERIFYING =
            List.of("--insecure-ignore-tlog", "--allow-http-registry");

    private final Path dir;
    private final String password;

    /** A new key pair ({@code cosign generate-key-pair}) in a temporary directory. */
    public CosignSigner() {
        try {
            dir = Files.createTempDirectory("imagegate-cosign-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        password = "test-" + Long.toHexString(new java.security.SecureRandom().nextLong());
        try {
            cosign(List.of("generate-key-pair"));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The public key (PEM) that verifies what this key pair signs. */
    public Path publicKey() {
        return dir.resolve("cosign.pub");
    }

    /**
     * {@code cosign sign} of {@code image} (by digest) as a Sigstore bundle referrer, cosign v3's
     * default.
     */
    public String sign(String image) {
        return cosign(args("sign", "--key", "cosign.key", OFFLINE_SIGNING, image));
    }

    /** {@code cosign sign --new-bundle-format=false}: the legacy {@code sha256-<hex>.sig} tag. */
    public String signLegacy(String image) {
        return cosign(
                args(
                        "sign",
                        "--key",
                        "cosign.key",
                        OFFLINE_SIGNING,
                        "--new-bundle-format=false",
                        image));
    }

    /** {@code cosign attest} of a small predicate of {@code type} as a Sigstore bundle referrer. */
    public String attest(String image, String type, String predicateJson) {
        try {
            Files.writeString(dir.resolve("predicate.json"), predicateJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cosign(
                args(
                        "attest",
                        "--key",
                        "cosign.key",
                        OFFLINE_SIGNING,
                        "--predicate",
                        "predicate.json",
                        "--type",
                        type,
                        image));
    }

    /**
     * {@code cosign verify --key} with this key pair's public key; a failed verification fails with
     * cosign's output.
     */
    public String verify(String image) {
        return cosign(args("verify", "--key", "cosign.pub", OFFLINE_VERIFYING, image));
    }

    /** {@code cosign verify-attestation --key --type}. */
    public String verifyAttestation(String image, String type) {
        return cosign(
                args(
                        "verify-attestation",
                        "--key",
                        "cosign.pub",
                        OFFLINE_VERIFYING,
                        "--type",
                        type,
                        image));
    }

    /** Runs cosign in the key pair's directory; a non-zero exit fails with its output. */
    public String cosign(List<String> args) {
        return Cosign.run(dir, Map.of("COSIGN_PASSWORD", password), args.toArray(String[]::new));
    }

    private static List<String> args(Object... parts) {
        List<String> out = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof List<?> list) {
                list.forEach(o -> out.add(o.toString()));
            } else {
                out.add(part.toString());
            }
        }
        return out;
    }

    @Override
    public void close() {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
