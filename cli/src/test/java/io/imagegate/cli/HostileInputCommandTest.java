package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.oci.Platform;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that used to crash or mislead, and a run stopped by a signal. */
@NeedsComponents
class HostileInputCommandTest {
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    @TempDir Path dir;

    @Test
    void badValuesAreOneLineUsageErrors() {
        String image = registry.hostPort() + "/x/y:1";
        for (String[] args :
                List.of(
                        new String[] {"scan", "--timeout", "-5", image},
                        new String[] {"scan", "--timeout", "99999999999999999999", image},
                        new String[] {"scan", "--severity", "HIGH,,LOW", image},
                        new String[] {
                            "import", "--platform", ",", image, registry.hostPort() + "/a/b:1"
                        },
                        new String[] {
                            "import", "--timeout", "0", image, registry.hostPort() + "/a/b:1"
                        },
                        new String[] {
                            "import",
                            "--chunk-size",
                            "99999999999",
                            image,
                            registry.hostPort() + "/a/b:1"
                        },
                        new String[] {
                            "import",
                            "--dst-creds-env",
                            "pa55w0rd!",
                            image,
                            registry.hostPort() + "/a/b:1"
                        },
                        new String[] {
                            "gate", "--trusted", "r.example", "--build-arg", "=x", "Dockerfile"
                        },
                        new String[] {
                            "import", "--creds-env", "nope", image, registry.hostPort() + "/a/b:1"
                        })) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run.err()).isEqualTo(2);
            assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
            assertThat(run.err())
                    .startsWith("imagegate: ")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ")
                    .doesNotContain("pa55w0rd!");
        }
    }

    /**
     * SIGTERM and SIGINT during a scan: Trivy (with its descendants) is killed, the per-run Docker
     * config holding the registry credentials is deleted, and the process exits with the
     * conventional code and says why.
     */
    @Test
    void aSignalDuringAScanLeavesNoChildAndNoCredentialsBehind() throws Exception {
        TestImages.Image image =
                TestImages.randomImage(1, Platform.parse("linux/amd64"), 100, true);
        new ImagePusher(registry).push("sig/app", "1", image);
        Path fake = dir.resolve("trivy");
        Path record = dir.resolve("trivy.record");
        // The record appears whole (renamed into place): the test polls for it and reads it at
        // once.
        Files.writeString(
                fake,
                """
                #!/bin/sh
                if [ "$1" = version ]; then echo '{"Version":"0.74.0"}'; exit 0; fi
                echo "$$ $DOCKER_CONFIG" > %1$s.partial && mv %1$s.partial %1$s
                sleep 60 &
                wait
                """
                        .formatted(record));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        for (String signal : List.of("TERM", "INT")) {
            Files.deleteIfExists(record);
            List<String> command =
                    new ArrayList<>(
                            List.of(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-Djava.io.tmpdir=" + tmp,
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    "io.imagegate.cli.Main",
                                    "scan",
                                    "--trivy",
                                    fake.toString(),
                                    "--creds-env",
                                    registry.hostPort() + "=SIG_CREDS",
                                    registry.hostPort() + "/sig/app:1"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("SIG_CREDS", "someone:SIGNAL-SECRET-77");
            Process process = builder.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.exists(record) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(record).as("the fake Trivy started").exists();
            String[] started = Files.readString(record).strip().split(" ");
            long trivyPid = Long.parseLong(started[0]);
            Path dockerConfig = Path.of(started[1]);
            assertThat(dockerConfig.resolve("config.json")).exists();

            new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
                    .start()
                    .waitFor();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).isEqualTo(signal.equals("TERM") ? 143 : 130);
            assertThat(output)
                    .contains("imagegate: interrupted")
                    .doesNotContain("SIGNAL-SECRET-77");
            assertThat(ProcessHandle.of(trivyPid).map(ProcessHandle::isAlive).orElse(false))
                    .isFalse();
            assertThat(dockerConfig).doesNotExist();
            try (Stream<Path> left = Files.walk(tmp)) {
                assertThat(left.filter(p -> p.getFileName().toString().equals("config.json")))
                        .isEmpty();
            }
        }
    }

    /**
     * A signal during an import abandons the open upload session: the transfer is cut, the session
     * deleted, and no uploaded bytes (nor a resumable session) are left in the target's upload
     * area. (Distribution 2.8 may still rewrite a few bytes of hash state when its handler of the
     * cut request ends; its upload purging removes them.) The source sends 64 KiB and then nothing,
     * so the signal comes before the upload's first bytes (it holds back what it has not verified
     * yet): distribution 2.8 refuses to delete a session whose bytes came in a request that was
     * cut, as its {@code _state} still names the offset the session started at.
     */
    @Test
    void aSignalDuringAnImportLeavesNoUploadSessionBehind() throws Exception {
        byte[] config =
                "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        int size = 64 * 1024 * 1024;
        String layerDigest =
                "sha256:" + "1".repeat(64); // never checked: the import is stopped long before the
        // end
        String manifest =
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                        + io.imagegate.reference.Digest.sha256(config)
                        + "\",\"size\":"
                        + config.length
                        + "},"
                        + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
                        + layerDigest
                        + "\",\"size\":"
                        + size
                        + "}]}";
        String manifestDigest =
                io.imagegate.reference.Digest.sha256(manifest.getBytes(StandardCharsets.UTF_8))
                        .toString();
        try (io.imagegate.testing.HostileServer source =
                new io.imagegate.testing.HostileServer(
                        (r, out) -> {
                            if (r.path().equals("/v2/")) {
                                out.respond(200, java.util.Map.of(), "{}");
                            } else if (r.path().contains("/manifests/")) {
                                java.util.Map<String, String> headers =
                                        java.util.Map.of(
                                                "Docker-Content-Digest",
                                                manifestDigest,
                                                "Content-Type",
                                                "application/vnd.oci.image.manifest.v1+json",
                                                "Content-Length",
                                                String.valueOf(manifest.length()));
                                if (r.method().equals("HEAD")) {
                                    out.head(200, headers);
                                } else {
                                    out.respond(
                                            200,
                                            java.util.Map.of(
                                                    "Docker-Content-Digest",
                                                    manifestDigest,
                                                    "Content-Type",
                                                    "application/vnd.oci.image.manifest.v1+json"),
                                            manifest);
                                }
                            } else if (r.path().endsWith(layerDigest)) {
                                out.head(
                                        200,
                                        java.util.Map.of("Content-Length", String.valueOf(size)));
                                out.write(new byte[64 * 1024]);
                                Thread.sleep(120_000);
                            } else {
                                out.respond(200, java.util.Map.of(), config);
                            }
                        })) {
            List<String> command =
                    new ArrayList<>(
                            List.of(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    "io.imagegate.cli.Main",
                                    "import",
                                    source.hostPort() + "/src/big:1",
                                    registry.hostPort() + "/signalled/big:1"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Path uploads =
                    registry.storageDir()
                            .resolve("docker/registry/v2/repositories/signalled/big/_uploads");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline
                    && !(Files.isDirectory(uploads) && hasEntries(uploads))) {
                Thread.sleep(50);
            }
            assertThat(hasEntries(uploads)).as("an upload session was opened").isTrue();
            Thread.sleep(500);
            new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start().waitFor();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(output).isEqualTo(143);
            Thread.sleep(300); // the registry writes its access log line after answering
            try (Stream<Path> left = Files.walk(uploads)) {
                assertThat(left.map(p -> p.getFileName().toString()))
                        .as("left in " + uploads + ": " + listing(uploads))
                        .doesNotContain("data", "startedat");
            }
            assertThat(
                            new io.imagegate.testing.ImagePusher(registry)
                                    .tagExists("signalled/big", "1"))
                    .isFalse();
        }
    }

    private static String listing(Path dir) throws java.io.IOException {
        try (Stream<Path> entries = Files.walk(dir)) {
            return entries.map(Path::toString).toList().toString();
        }
    }

    private static boolean hasEntries(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        }
    }
}
