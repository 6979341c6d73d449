package io.imagegate.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * cosign v3.1.3 ({@code github.com/sigstore/cosign/v3}, installed pinned by scripts/setup with {@code go install}), the
 * independent signer and verifier: what it signs, imagegate must verify; what it refuses, imagegate must refuse. Runs
 * hermetically and offline (no transparency log, no signing config, no TUF root), against plain-HTTP loopback
 * registries. Key passwords go through {@code COSIGN_PASSWORD} in its environment only. A missing binary fails the tests.
 */
public final class Cosign {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private Cosign() {
    }

    /** {@code IMAGEGATE_COSIGN_BIN}, else {@code cosign} on the PATH, else {@code $GOBIN} or {@code ~/go/bin}. */
    public static Path binary() {
        return ToolProcess.binary("IMAGEGATE_COSIGN_BIN", "cosign",
                "run scripts/setup (go install github.com/sigstore/cosign/v3/cmd/cosign@v3.1.3)");
    }

    /** A key pair as {@code cosign generate-key-pair} writes it: the encrypted private key and the PEM public key. */
    public record KeyPair(Path privateKey, Path publicKey, String password) {
    }

    /** Generates a key pair named {@code prefix}.key / {@code prefix}.pub in {@code dir}, encrypted with {@code password}. */
    public static KeyPair generateKeyPair(Path dir, String prefix, String password) {
        run(Map.of("COSIGN_PASSWORD", password), dir, "generate-key-pair", "--output-key-prefix", prefix);
        KeyPair pair = new KeyPair(dir.resolve(prefix + ".key"), dir.resolve(prefix + ".pub"), password);
        if (!Files.isRegularFile(pair.privateKey()) || !Files.isRegularFile(pair.publicKey())) {
            throw new IllegalStateException("cosign generate-key-pair wrote no " + prefix + ".key/.pub in " + dir);
        }
        return pair;
    }

    /**
     * Signs {@code imageByDigest} with {@code key}, offline: with {@code newBundleFormat} a Sigstore bundle pushed as an OCI
     * referrer (cosign v3's default), else the legacy simple-signing layer under the {@code sha256-<hex>.sig} tag.
     */
    public static void sign(String imageByDigest, KeyPair key, boolean newBundleFormat) {
        List<String> args = new ArrayList<>(List.of("sign", "--key", key.privateKey().toString(), "--use-signing-config=false",
                "--tlog-upload=false", "--yes", "--allow-http-registry"));
        if (!newBundleFormat) {
            args.add("--new-bundle-format=false");
        }
        args.add(imageByDigest);
        run(Map.of("COSIGN_PASSWORD", key.password()), null, args.toArray(String[]::new));
    }

    /** {@code cosign verify --key PUB --insecure-ignore-tlog IMAGE}: its output; fails the test when cosign refuses. */
    public static String verify(String image, Path publicKey) {
        return run(Map.of(), null, "verify", "--key", publicKey.toString(), "--insecure-ignore-tlog", "--allow-http-registry", image);
    }

    /** Runs {@code cosign ARGS…} in {@code workDir} (null: a temporary home) and returns its output. */
    public static String run(Map<String, String> environment, Path workDir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(List.of(args));
        return ToolProcess.run(command, environment, workDir, TIMEOUT);
    }
}
