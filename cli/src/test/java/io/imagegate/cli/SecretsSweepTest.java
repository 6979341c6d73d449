package io.imagegate.cli;

import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Platform;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command, run with distinctive credentials against registries that want them (Basic and token auth), in
 * passing and failing ways: no output line, report, error (with its causes) or Trivy command line holds a secret.
 * The CLI runs in a child JVM, so the credentials come from its real environment, as a user's would.
 */
class SecretsSweepTest {
    @RegisterExtension
    static final RegistryExtension open = RegistryExtension.anonymous();
    @RegisterExtension
    static final RegistryExtension basic = RegistryExtension.htpasswd();
    @RegisterExtension
    static final RegistryExtension token = RegistryExtension.tokenAuth();

    static final String WRONG = "Wrong-Sweep-Secret-4242";
    static final List<String> SECRETS = List.of(RegistryExtension.PUSH_PASSWORD, WRONG, RegistryExtension.REFRESH_TOKEN,
            RegistryExtension.PULL_PASSWORD);

    @TempDir
    Path dir;

    private record Run(int code, String output) {
    }

    /** Runs the CLI in a child JVM with these environment variables; Trivy is wrapped to record its command lines. */
    private Run cli(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")), "-cp", System.getProperty("java.class.path"),
                "io.imagegate.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("TRIVY_PATH", trivyWrapper().toString());
        builder.environment().put("DOCKER_CONFIG", Files.createDirectories(dir.resolve("no-docker-config")).toString());
        builder.environment().put("IMAGEGATE_DEBUG", "1"); // stack traces too: they must not hold secrets either
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        return new Run(process.waitFor(), output);
    }

    private Path trivyWrapper() throws IOException {
        Path wrapper = dir.resolve("trivy-wrapper");
        if (!Files.exists(wrapper)) {
            String real = Stream.of(System.getenv("PATH").split(":")).map(d -> Path.of(d, "trivy")).filter(Files::isExecutable)
                    .findFirst().orElseThrow().toString();
            Files.writeString(wrapper, "#!/bin/sh\necho \"$@\" >> " + dir.resolve("trivy-argv.log") + "\nenv >> "
                    + dir.resolve("trivy-env-names.log") + "\nexec " + real + " \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        }
        return wrapper;
    }

    private static String[] offline(String... args) {
        List<String> all = new ArrayList<>(List.of(args[0], "--cache-dir", FixtureVulnerabilityDb.cacheDir().toString(), "--skip-db-update",
                "--skip-java-db-update", "--offline-scan"));
        all.addAll(List.of(args).subList(1, args.length));
        return all.toArray(String[]::new);
    }

    @Test
    void noSecretAppearsAnywhere() throws Exception {
        TestImages.Image clean = TestImages.alpine(Platform.parse("linux/amd64"),
                List.<String[]>of(new String[] {"busybox", "1.37.0-r30", "busybox"}));
        new ImagePusher(open).push("library/clean", "1", clean);
        Map<String, String> good = Map.of("CREDS", RegistryExtension.PUSH_USER + ":" + RegistryExtension.PUSH_PASSWORD);
        Map<String, String> bad = Map.of("CREDS", RegistryExtension.PUSH_USER + ":" + WRONG);
        String src = open.hostPort() + "/library/clean:1";
        String b = basic.hostPort();
        String t = token.hostPort();
        List<Run> runs = new ArrayList<>();

        runs.add(cli(good, "import", "--dst-creds-env", "CREDS", src, b + "/mirror/clean:1"));
        runs.add(cli(good, "import", "--dst-creds-env", "CREDS", src, t + "/mirror/clean:1"));
        runs.add(cli(bad, "import", "--dst-creds-env", "CREDS", src, b + "/mirror/wrong:1"));
        runs.add(cli(bad, "import", "--dst-creds-env", "CREDS", src, t + "/mirror/wrong:1"));
        runs.add(cli(Map.of(), "import", "--dst-creds-env", RegistryExtension.PUSH_PASSWORD, src, b + "/mirror/x:1"));
        runs.add(cli(good, offline("scan", "--creds-env", b + "=CREDS", "--report-dir", "reports-scan", b + "/mirror/clean:1")));
        runs.add(cli(bad, offline("scan", "--creds-env", b + "=CREDS", b + "/mirror/clean:1")));
        runs.add(cli(good, offline("vet", "--dst-creds-env", "CREDS", "--report-dir", "reports-vet", src, b + "/base/clean:1")));
        runs.add(cli(good, offline("vet", "--dst-creds-env", "CREDS", src, t + "/base/clean:1")));
        runs.add(cli(bad, offline("vet", "--dst-creds-env", "CREDS", src, t + "/base/wrong:1")));
        runs.add(cli(good, "verdict", "--creds-env", b + "=CREDS", b + "/base/clean:1"));
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + src + "\n");
        runs.add(cli(good, "rewrite", "--creds-env", b + "=CREDS", "--map", open.hostPort() + "/library=" + b + "/base", "--pin", "Dockerfile"));
        runs.add(cli(good, "refs", "--creds-env", b + "=CREDS", "--verify", "Dockerfile"));
        runs.add(cli(good, "gate", "--creds-env", b + "=CREDS", "--trusted", b, "--require-vetted", "Dockerfile"));
        runs.add(cli(bad, "gate", "--creds-env", b + "=CREDS", "--trusted", b, "--require-vetted", "Dockerfile"));
        Files.writeString(dir.resolve("sync.yaml"), "images:\n  - source: " + src + "\n    target: " + b + "/synced/clean:1\n");
        runs.add(cli(good, offline("sync", "--creds-env", b + "=CREDS", "sync.yaml")));
        // upstream signatures read through the source's credentials: refused unsigned (1); with wrong credentials an
        // error (2), never a verdict
        java.security.KeyPairGenerator keys = java.security.KeyPairGenerator.getInstance("EC");
        keys.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        Files.writeString(dir.resolve("upstream.pub"), "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(keys.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Files.writeString(dir.resolve("signed.yaml"), "signatures:\n  keys: [upstream.pub]\n");
        runs.add(cli(good, offline("vet", "--policy", "signed.yaml", "--src-creds-env", "CREDS", "--dst-creds-env", "CREDS",
                b + "/mirror/clean:1", b + "/base/unsigned:1")));
        runs.add(cli(bad, offline("vet", "--policy", "signed.yaml", "--src-creds-env", "CREDS", "--dst-creds-env", "CREDS",
                b + "/mirror/clean:1", b + "/base/unsigned:1")));

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

        List<String> haystack = new ArrayList<>();
        runs.forEach(r -> haystack.add(r.output()));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("trivy-env-names.log")).toList()) {
                haystack.add(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(Files.readString(dir.resolve("trivy-argv.log"))).contains("image");
        for (String secret : SECRETS) {
            assertThat(haystack).as("nothing holds " + secret).noneMatch(text -> text.contains(secret));
        }
        // Trivy's environment has the per-run Docker config, not the credential variables
        assertThat(Files.readString(dir.resolve("trivy-env-names.log"))).contains("DOCKER_CONFIG=").doesNotContain(
                RegistryExtension.PUSH_PASSWORD);
    }

    @Test
    void inProcessErrorsAndTheirCausesHoldNoSecret() {
        CliRun wrong = CliRun.of("import", "--creds-env", basic.hostPort() + "=IMAGEGATE_SWEEP_UNSET", open.hostPort() + "/x/y:1",
                basic.hostPort() + "/x/y:1");
        assertThat(wrong.exitCode()).isEqualTo(2);
        ImageGateException e = wrong.result().error().orElseThrow();
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(RegistryExtension.PUSH_PASSWORD);
        }
    }
}
