package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Platform;
import io.imagegate.testing.Cosign;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command, run with distinctive credentials against registries that want them (Basic and
 * token auth), in passing and failing ways: no output line, report, error (with its causes) or
 * Trivy command line holds a secret. The CLI runs in a child JVM, so the credentials come from its
 * real environment, as a user's would.
 */
@NeedsComponents
class SecretsSweepTest {
    @RegisterExtension static final RegistryExtension open = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension basic = RegistryExtension.htpasswd();
    @RegisterExtension static final RegistryExtension token = RegistryExtension.tokenAuth();

    static final String WRONG = "Wrong-Sweep-Secret-4242";
    static final String SIGNING_PASSWORD = "Signing-Sweep-Secret-5151";
    static final String WRONG_SIGNING_PASSWORD = "Wrong-Signing-Sweep-Secret-6262";
    static final List<String> SECRETS =
            List.of(
                    RegistryExtension.PUSH_PASSWORD,
                    WRONG,
                    RegistryExtension.REFRESH_TOKEN,
                    RegistryExtension.PULL_PASSWORD,
                    SIGNING_PASSWORD,
                    WRONG_SIGNING_PASSWORD);

    /** Bits of the private keys used, filled in as they are made. */
    final List<String> keyMaterial = new ArrayList<>();

    @TempDir Path dir;

    private record Run(int code, String output) {}

    /**
     * Runs the CLI in a child JVM with these environment variables; Trivy is wrapped to record its
     * command lines.
     */
    private Run cli(Map<String, String> env, String... args) throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")),
                                "-cp",
                                System.getProperty("java.class.path"),
                                "io.imagegate.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("TRIVY_PATH", trivyWrapper().toString());
        builder.environment()
                .put(
                        "DOCKER_CONFIG",
                        Files.createDirectories(dir.resolve("no-docker-config")).toString());
        builder.environment()
                .put("IMAGEGATE_DEBUG", "1"); // stack traces too: they must not hold secrets either
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        return new Run(process.waitFor(), output);
    }

    private Path trivyWrapper() throws IOException {
        Path wrapper = dir.resolve("trivy-wrapper");
        if (!Files.exists(wrapper)) {
            String real =
                    Stream.of(System.getenv("PATH").split(":"))
                            .map(d -> Path.of(d, "trivy"))
                            .filter(Files::isExecutable)
                            .findFirst()
                            .orElseThrow()
                            .toString();
            Files.writeString(
                    wrapper,
                    "#!/bin/sh\necho \"$@\" >> "
                            + dir.resolve("trivy-argv.log")
                            + "\nenv >> "
                            + dir.resolve("trivy-env-names.log")
                            + "\nexec "
                            + real
                            + " \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        }
        return wrapper;
    }

    private static String[] offline(String... args) {
        List<String> all =
                new ArrayList<>(
                        List.of(
                                args[0],
                                "--cache-dir",
                                FixtureVulnerabilityDb.cacheDir().toString(),
                                "--skip-db-update",
                                "--skip-java-db-update",
                                "--offline-scan"));
        all.addAll(List.of(args).subList(1, args.length));
        return all.toArray(String[]::new);
    }

    @Test
    void noSecretAppearsAnywhere() throws Exception {
        TestImages.Image clean =
                TestImages.alpine(
                        Platform.parse("linux/amd64"),
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r30", "busybox"}));
        new ImagePusher(open).push("library/clean", "1", clean);
        Map<String, String> good =
                Map.of(
                        "CREDS",
                        RegistryExtension.PUSH_USER + ":" + RegistryExtension.PUSH_PASSWORD);
        Map<String, String> bad = Map.of("CREDS", RegistryExtension.PUSH_USER + ":" + WRONG);
        String src = open.hostPort() + "/library/clean:1";
        String b = basic.hostPort();
        String t = token.hostPort();
        List<Run> runs = new ArrayList<>();

        runs.add(cli(good, "import", "--dst-creds-env", "CREDS", src, b + "/mirror/clean:1"));
        runs.add(cli(good, "import", "--dst-creds-env", "CREDS", src, t + "/mirror/clean:1"));
        runs.add(cli(bad, "import", "--dst-creds-env", "CREDS", src, b + "/mirror/wrong:1"));
        runs.add(cli(bad, "import", "--dst-creds-env", "CREDS", src, t + "/mirror/wrong:1"));
        runs.add(
                cli(
                        Map.of(),
                        "import",
                        "--dst-creds-env",
                        RegistryExtension.PUSH_PASSWORD,
                        src,
                        b + "/mirror/x:1"));
        runs.add(
                cli(
                        good,
                        offline(
                                "scan",
                                "--creds-env",
                                b + "=CREDS",
                                "--report-dir",
                                "reports-scan",
                                b + "/mirror/clean:1")));
        runs.add(cli(bad, offline("scan", "--creds-env", b + "=CREDS", b + "/mirror/clean:1")));
        runs.add(
                cli(
                        good,
                        offline(
                                "vet",
                                "--dst-creds-env",
                                "CREDS",
                                "--report-dir",
                                "reports-vet",
                                src,
                                b + "/base/clean:1")));
        runs.add(cli(good, offline("vet", "--dst-creds-env", "CREDS", src, t + "/base/clean:1")));
        runs.add(cli(bad, offline("vet", "--dst-creds-env", "CREDS", src, t + "/base/wrong:1")));
        runs.add(cli(good, "verdict", "--creds-env", b + "=CREDS", b + "/base/clean:1"));
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + src + "\n");
        runs.add(
                cli(
                        good,
                        "rewrite",
                        "--creds-env",
                        b + "=CREDS",
                        "--map",
                        open.hostPort() + "/library=" + b + "/base",
                        "--pin",
                        "Dockerfile"));
        runs.add(cli(good, "refs", "--creds-env", b + "=CREDS", "--verify", "Dockerfile"));
        runs.add(
                cli(
                        good,
                        "gate",
                        "--creds-env",
                        b + "=CREDS",
                        "--trusted",
                        b,
                        "--require-vetted",
                        "Dockerfile"));
        runs.add(
                cli(
                        bad,
                        "gate",
                        "--creds-env",
                        b + "=CREDS",
                        "--trusted",
                        b,
                        "--require-vetted",
                        "Dockerfile"));
        Files.writeString(
                dir.resolve("sync.yaml"),
                "images:\n  - source: " + src + "\n    target: " + b + "/synced/clean:1\n");
        runs.add(cli(good, offline("sync", "--creds-env", b + "=CREDS", "sync.yaml")));
        // upstream signatures read through the source's credentials: refused unsigned (1); with
        // wrong credentials an
        // error (2), never a verdict
        java.security.KeyPairGenerator upstreamKeys =
                java.security.KeyPairGenerator.getInstance("EC");
        upstreamKeys.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        Files.writeString(
                dir.resolve("upstream.pub"),
                "-----BEGIN PUBLIC KEY-----\n"
                        + java.util.Base64.getMimeEncoder()
                                .encodeToString(
                                        upstreamKeys.generateKeyPair().getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n");
        Files.writeString(dir.resolve("signed.yaml"), "signatures:\n  keys: [upstream.pub]\n");
        runs.add(
                cli(
                        good,
                        offline(
                                "vet",
                                "--policy",
                                "signed.yaml",
                                "--src-creds-env",
                                "CREDS",
                                "--dst-creds-env",
                                "CREDS",
                                b + "/mirror/clean:1",
                                b + "/base/unsigned:1")));
        runs.add(
                cli(
                        bad,
                        offline(
                                "vet",
                                "--policy",
                                "signed.yaml",
                                "--src-creds-env",
                                "CREDS",
                                "--dst-creds-env",
                                "CREDS",
                                b + "/mirror/clean:1",
                                b + "/base/unsigned:1")));

        // Signing keys: the password, a wrong one and the private key itself appear nowhere either.
        // The key files live
        // outside the swept directory (they are inputs); everything written in it and every output
        // is swept.
        Path keys = Files.createTempDirectory("imagegate-sweep-keys-");
        try {
            Cosign.KeyPair pair = Cosign.generateKeyPair(keys, SIGNING_PASSWORD);
            KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
            ec.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair plain = ec.generateKeyPair();
            byte[] der = plain.getPrivate().getEncoded();
            Path plainKey =
                    Files.writeString(
                            keys.resolve("plain.pem"),
                            "-----BEGIN PRIVATE KEY-----\n"
                                    + Base64.getEncoder().encodeToString(der)
                                    + "\n-----END PRIVATE KEY-----\n");
            keyMaterial.add(Base64.getEncoder().encodeToString(der).substring(20, 80));
            keyMaterial.add(((ECPrivateKey) plain.getPrivate()).getS().toString(16));
            Map<String, String> signing = new java.util.HashMap<>(good);
            signing.put("IMAGEGATE_SIGNING_KEY_PASSWORD", SIGNING_PASSWORD);
            Map<String, String> wrongSigning = new java.util.HashMap<>(good);
            wrongSigning.put("COSIGN_PASSWORD", WRONG_SIGNING_PASSWORD);
            String key = pair.privateKey().toString();
            runs.add(
                    cli(
                            signing,
                            offline(
                                    "vet",
                                    "--dst-creds-env",
                                    "CREDS",
                                    "--signing-key",
                                    key,
                                    src,
                                    b + "/signed/clean:1")));
            runs.add(
                    cli(
                            wrongSigning,
                            offline(
                                    "vet",
                                    "--dst-creds-env",
                                    "CREDS",
                                    "--signing-key",
                                    key,
                                    src,
                                    b + "/signed/wrong:1")));
            runs.add(
                    cli(
                            good,
                            offline(
                                    "vet",
                                    "--dst-creds-env",
                                    "CREDS",
                                    "--signing-key",
                                    plainKey.toString(),
                                    src,
                                    b + "/signed/plain:1")));
            Files.writeString(
                    dir.resolve("sync-signed.yaml"),
                    "images:\n  - source: " + src + "\n    target: " + b + "/synced/signed:1\n");
            runs.add(
                    cli(
                            signing,
                            offline(
                                    "sync",
                                    "--creds-env",
                                    b + "=CREDS",
                                    "--signing-key",
                                    key,
                                    "sync-signed.yaml")));
            Files.writeString(dir.resolve("Dockerfile.signed"), "FROM " + b + "/signed/clean:1\n");
            runs.add(
                    cli(
                            good,
                            "gate",
                            "--creds-env",
                            b + "=CREDS",
                            "--trusted",
                            b,
                            "--require-vetted",
                            "--verify-key",
                            pair.publicKey().toString(),
                            "Dockerfile.signed"));
            runs.add(
                    cli(
                            good,
                            "verdict",
                            "--creds-env",
                            b + "=CREDS",
                            "--verify-key",
                            pair.publicKey().toString(),
                            b + "/signed/clean:1"));
        } finally {
            try (Stream<Path> files = Files.walk(keys)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }

        // the runs did what they should: the sweep covers passing and failing paths alike
        assertThat(runs.get(0).code()).as(runs.get(0).output()).isZero();
        assertThat(runs.get(1).code()).as(runs.get(1).output()).isZero();
        assertThat(runs.get(2).code()).isEqualTo(2);
        assertThat(runs.get(3).code()).isEqualTo(2);
        assertThat(runs.get(5).code()).as(runs.get(5).output()).isZero();
        assertThat(runs.get(7).code()).as(runs.get(7).output()).isZero();
        assertThat(runs.get(8).code()).as(runs.get(8).output()).isZero();
        assertThat(runs.get(13).code()).as(runs.get(13).output()).isZero();
        assertThat(runs.get(15).code()).as(runs.get(15).output()).isZero();
        assertThat(runs.get(16).code()).as(runs.get(16).output()).isEqualTo(1);
        assertThat(runs.get(16).output()).contains("no cosign signature of");
        assertThat(runs.get(17).code()).as(runs.get(17).output()).isEqualTo(2);
        assertThat(runs.get(18).code()).as(runs.get(18).output()).isZero();
        assertThat(runs.get(19).code()).as(runs.get(19).output()).isEqualTo(2);
        assertThat(runs.get(19).output()).contains("signing-key").contains("password");
        assertThat(runs.get(20).code()).as(runs.get(20).output()).isZero();
        assertThat(runs.get(21).code()).as(runs.get(21).output()).isZero();
        assertThat(runs.get(22).code()).as(runs.get(22).output()).isZero();
        assertThat(runs.get(23).code()).as(runs.get(23).output()).isZero();
        assertThat(runs.get(23).output()).contains("verified");

        List<String> haystack = new ArrayList<>();
        runs.forEach(r -> haystack.add(r.output()));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file :
                    files.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().equals("trivy-env-names.log"))
                            .toList()) {
                haystack.add(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(Files.readString(dir.resolve("trivy-argv.log"))).contains("image");
        for (String secret : SECRETS) {
            assertThat(haystack)
                    .as("nothing holds " + secret)
                    .noneMatch(text -> text.contains(secret));
        }
        assertThat(keyMaterial).hasSize(2);
        for (String secret : keyMaterial) {
            assertThat(haystack)
                    .as("nothing holds the private key")
                    .noneMatch(text -> text.contains(secret));
        }
        // Trivy's environment has the per-run Docker config, not the credential variables
        assertThat(Files.readString(dir.resolve("trivy-env-names.log")))
                .contains("DOCKER_CONFIG=")
                .doesNotContain(RegistryExtension.PUSH_PASSWORD);
    }

    @Test
    void inProcessErrorsAndTheirCausesHoldNoSecret() {
        CliRun wrong =
                CliRun.of(
                        "import",
                        "--creds-env",
                        basic.hostPort() + "=IMAGEGATE_SWEEP_UNSET",
                        open.hostPort() + "/x/y:1",
                        basic.hostPort() + "/x/y:1");
        assertThat(wrong.exitCode()).isEqualTo(2);
        ImageGateException e = wrong.result().error().orElseThrow();
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage()))
                    .doesNotContain(RegistryExtension.PUSH_PASSWORD);
        }
    }
}
