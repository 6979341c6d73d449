package io.imagegate.cli;

import io.imagegate.oci.Platform;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Inputs that used to crash or mislead, and a run stopped by a signal. */
class HostileInputCommandTest {
    @RegisterExtension
    static final RegistryExtension registry = RegistryExtension.anonymous();

    @TempDir
    Path dir;

    @Test
    void badValuesAreOneLineUsageErrors() {
        String image = registry.hostPort() + "/x/y:1";
        for (String[] args : List.of(
                new String[] {"scan", "--timeout", "-5", image},
                new String[] {"scan", "--timeout", "99999999999999999999", image},
                new String[] {"scan", "--severity", "HIGH,,LOW", image},
                new String[] {"import", "--platform", ",", image, registry.hostPort() + "/a/b:1"},
                new String[] {"import", "--timeout", "0", image, registry.hostPort() + "/a/b:1"},
                new String[] {"import", "--chunk-size", "99999999999", image, registry.hostPort() + "/a/b:1"},
                new String[] {"import", "--dst-creds-env", "pa55w0rd!", image, registry.hostPort() + "/a/b:1"},
                new String[] {"gate", "--trusted", "r.example", "--build-arg", "=x", "Dockerfile"},
                new String[] {"import", "--creds-env", "nope", image, registry.hostPort() + "/a/b:1"})) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run.err()).isEqualTo(2);
            assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
            assertThat(run.err()).startsWith("imagegate: ").doesNotContain("Exception").doesNotContain("\tat ")
                    .doesNotContain("pa55w0rd!");
        }
    }

    /**
     * SIGTERM and SIGINT during a scan: Trivy (with its descendants) is killed, the per-run Docker config holding the
     * registry credentials is deleted, and the process exits with the conventional code and says why.
     */
    @Test
    void aSignalDuringAScanLeavesNoChildAndNoCredentialsBehind() throws Exception {
        TestImages.Image image = TestImages.randomImage(1, Platform.parse("linux/amd64"), 100, true);
        new ImagePusher(registry).push("sig/app", "1", image);
        Path fake = dir.resolve("trivy");
        Path record = dir.resolve("trivy.record");
        Files.writeString(fake, """
                #!/bin/sh
                if [ "$1" = version ]; then echo '{"Version":"0.74.0"}'; exit 0; fi
                echo "$$ $DOCKER_CONFIG" > %s
                sleep 60 &
                wait
                """.formatted(record));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        for (String signal : List.of("TERM", "INT")) {
            Files.deleteIfExists(record);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), "io.imagegate.cli.Main",
                    "scan", "--trivy", fake.toString(), "--creds-env", registry.hostPort() + "=SIG_CREDS", registry.hostPort() + "/sig/app:1"));
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

            new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).isEqualTo(signal.equals("TERM") ? 143 : 130);
            assertThat(output).contains("imagegate: interrupted").doesNotContain("SIGNAL-SECRET-77");
            assertThat(ProcessHandle.of(trivyPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(dockerConfig).doesNotExist();
            try (Stream<Path> left = Files.walk(tmp)) {
                assertThat(left.filter(p -> p.getFileName().toString().equals("config.json"))).isEmpty();
            }
        }
    }
}
