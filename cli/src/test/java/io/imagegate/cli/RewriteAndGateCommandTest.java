package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.oci.Platform;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@NeedsComponents
class RewriteAndGateCommandTest {
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    @TempDir Path dir;

    @Test
    void rewriteThenGate() throws Exception {
        TestImages.Image image =
                TestImages.randomImage(9, Platform.parse("linux/amd64"), 1_000, true);
        new ImagePusher(registry).push("mirror/docker.io/library/alpine", "3.20", image);
        String original = "FROM alpine:3.20\nRUN true\n";
        Path dockerfile = Files.writeString(dir.resolve("Dockerfile"), original);
        String mirror = registry.hostPort() + "/mirror";

        CliRun before = CliRun.of("gate", "--trusted", mirror, dockerfile.toString());
        assertThat(before.exitCode()).isEqualTo(1);
        assertThat(before.out())
                .contains(
                        dockerfile
                                + ":1: alpine:3.20: docker.io/library/alpine:3.20 is not in a trusted registry")
                .contains(
                        "fix: imagegate vet docker.io/library/alpine:3.20 "
                                + mirror
                                + "/docker.io/library/alpine:3.20");

        CliRun check =
                CliRun.of("rewrite", "--map", "=" + mirror, "--check", dockerfile.toString());
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.out())
                .contains(dockerfile + ":1: - FROM alpine:3.20")
                .contains(dockerfile + ":1: + FROM " + mirror + "/docker.io/library/alpine:3.20");
        assertThat(Files.readString(dockerfile)).isEqualTo(original);

        CliRun rewrite =
                CliRun.of("rewrite", "--map", "=" + mirror, "--pin", dockerfile.toString());
        assertThat(rewrite.exitCode()).as(rewrite.err()).isZero();
        assertThat(Files.readString(dockerfile))
                .isEqualTo(
                        "FROM "
                                + mirror
                                + "/docker.io/library/alpine:3.20@"
                                + image.digest()
                                + "\nRUN true\n");

        CliRun after =
                CliRun.of("gate", "--trusted", mirror, "--require-digest", dockerfile.toString());
        assertThat(after.exitCode()).as(after.out()).isZero();
        assertThat(after.out()).contains("1 image reference(s) checked, all trusted");

        assertThat(
                        CliRun.of(
                                        "rewrite",
                                        "--map",
                                        "=" + mirror,
                                        "--check",
                                        dockerfile.toString())
                                .exitCode())
                .isZero();
    }

    @Test
    void rewriteCheckFailsForEveryReferenceItCannotRewriteAndRewritesTemplatedTags()
            throws Exception {
        TestImages.Image image =
                TestImages.randomImage(31, Platform.parse("linux/amd64"), 1_000, true);
        new ImagePusher(registry)
                .push("mirror/docker.io/library/maven", "3.9-eclipse-temurin-21", image);
        String mirror = registry.hostPort() + "/mirror";
        String maven = mirror + "/docker.io/library/maven:3.9-eclipse-temurin-";
        String templated =
                "ARG JAVA_VERSION=21\nARG V\nFROM maven:3.9-eclipse-temurin-${JAVA_VERSION} AS build\n";
        Path dockerfile =
                Files.writeString(
                        dir.resolve("Dockerfile"),
                        templated + "FROM ${REG:-docker.io}/library/alpine:3.20\nFROM alpine:$V\n");

        CliRun check =
                CliRun.of(
                        "rewrite",
                        "--map",
                        "=" + mirror,
                        "--check",
                        "--build-arg",
                        "JAVA_VERSION=17",
                        dockerfile.toString());
        assertThat(check.exitCode()).as(check.err()).isEqualTo(1);
        assertThat(check.out())
                .contains(dockerfile + ":3: + FROM " + maven + "${JAVA_VERSION} AS build");
        assertThat(check.err())
                .contains(
                        dockerfile
                                + ":4: not rewritten: ${REG:-docker.io}/library/alpine:3.20 writes its repository with a variable (REG)")
                .contains(dockerfile + ":5: not rewritten: unresolved: ")
                .contains("V, which has no value");

        // Only the templated tag left: rewritten, the ARG kept, and then nothing is left to do.
        Files.writeString(dockerfile, templated);
        CliRun rewrite = CliRun.of("rewrite", "--map", "=" + mirror, dockerfile.toString());
        assertThat(rewrite.exitCode()).as(rewrite.err()).isZero();
        assertThat(Files.readString(dockerfile))
                .isEqualTo(templated.replace("FROM maven:3.9-eclipse-temurin-", "FROM " + maven));
        assertThat(
                        CliRun.of(
                                        "rewrite",
                                        "--map",
                                        "=" + mirror,
                                        "--check",
                                        dockerfile.toString())
                                .exitCode())
                .isZero();
        CliRun gate = CliRun.of("gate", "--trusted", mirror, dockerfile.toString());
        assertThat(gate.exitCode()).as(gate.out()).isZero();

        // Pinning is refused for a templated tag, with the line that pins it.
        CliRun pin =
                CliRun.of(
                        "rewrite",
                        "--map",
                        "=" + mirror,
                        "--pin",
                        "--check",
                        dockerfile.toString());
        assertThat(pin.exitCode()).isEqualTo(1);
        assertThat(pin.err())
                .contains(
                        dockerfile
                                + ":3: not pinned: "
                                + maven
                                + "${JAVA_VERSION} chooses its tag with JAVA_VERSION")
                .contains("edit line 3 to: FROM " + maven + "21@" + image.digest() + " AS build");
    }

    @Test
    void pinsAPlatformManifestOnRequestAndVerifiesTags() throws Exception {
        TestImages.Index index =
                TestImages.randomIndex(
                        21,
                        java.util.List.of(
                                Platform.parse("linux/amd64"), Platform.parse("linux/arm64")),
                        1_000,
                        java.util.List.of(),
                        true);
        ImagePusher pusher = new ImagePusher(registry);
        pusher.push("mirror/docker.io/library/busybox", "1.36", index);
        Path dockerfile = Files.writeString(dir.resolve("Dockerfile"), "FROM busybox:1.36\n");
        String mirror = registry.hostPort() + "/mirror";
        CliRun rewrite =
                CliRun.of(
                        "rewrite",
                        "--map",
                        "=" + mirror,
                        "--pin",
                        "--pin-platform",
                        "linux/arm64",
                        dockerfile.toString());
        assertThat(rewrite.exitCode()).as(rewrite.err()).isZero();
        io.imagegate.reference.Digest arm =
                index.platformDigests().get(Platform.parse("linux/arm64"));
        assertThat(Files.readString(dockerfile))
                .isEqualTo("FROM " + mirror + "/docker.io/library/busybox:1.36@" + arm + "\n");

        // A platform pin is consistent with the index the tag holds.
        CliRun consistent = CliRun.of("refs", "--verify", dockerfile.toString());
        assertThat(consistent.exitCode()).as(consistent.err()).isZero();

        // The tag moves to another image: the pin written beside it is now stale, and --verify says
        // so.
        TestImages.Image moved =
                TestImages.randomImage(99, Platform.parse("linux/arm64"), 1_000, true);
        pusher.push("mirror/docker.io/library/busybox", "1.36", moved);
        CliRun stale = CliRun.of("refs", "--verify", dockerfile.toString());
        assertThat(stale.exitCode())
                .as(stale.out() + stale.err() + Files.readString(dockerfile))
                .isEqualTo(1);
        assertThat(stale.err())
                .contains(dockerfile + ":1: ")
                .contains("the tag 1.36 now holds " + moved.digest());
    }

    @Test
    void globsAndBuildArgs() throws Exception {
        Files.createDirectories(dir.resolve("svc/a"));
        Files.createDirectories(dir.resolve("svc/b"));
        Files.writeString(
                dir.resolve("svc/a/Dockerfile"),
                "ARG REG=untrusted.example.com\nFROM ${REG}/base/alpine:3.20\n");
        Files.writeString(
                dir.resolve("svc/b/Dockerfile"), "FROM registry.example.com/base/busybox:1\n");
        String glob = dir + "/**/Dockerfile";
        CliRun untrusted = CliRun.of("gate", "--trusted", "registry.example.com/base", glob);
        assertThat(untrusted.exitCode()).isEqualTo(1);
        assertThat(untrusted.out())
                .contains("svc/a/Dockerfile:2:")
                .contains("2 image reference(s)");
        CliRun withArg =
                CliRun.of(
                        "gate",
                        "--trusted",
                        "registry.example.com/base",
                        "--build-arg",
                        "REG=registry.example.com",
                        glob);
        assertThat(withArg.exitCode()).as(withArg.out()).isZero();
        CliRun nothing =
                CliRun.of(
                        "gate",
                        "--trusted",
                        "registry.example.com/base",
                        dir + "/**/Containerfile");
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err()).contains("no Dockerfile matches");
    }

    @Test
    void unpinnedReferencesFailWhenDigestsAreRequired() throws Exception {
        Path dockerfile =
                Files.writeString(
                        dir.resolve("Dockerfile"), "FROM registry.example.com/base/alpine:3.20\n");
        CliRun run =
                CliRun.of(
                        "gate",
                        "--trusted",
                        "registry.example.com/base",
                        "--require-digest",
                        "--sarif",
                        dir.resolve("out/gate.sarif").toString(),
                        dockerfile.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        com.fasterxml.jackson.databind.JsonNode result =
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(dir.resolve("out/gate.sarif").toFile())
                        .path("runs")
                        .get(0)
                        .path("results")
                        .get(0);
        assertThat(result.path("ruleId").asText()).isEqualTo("unpinned");
        assertThat(result.path("message").path("text").asText())
                .contains("is not pinned by digest")
                .contains("(fix: imagegate rewrite --map =registry.example.com/base --pin");
        com.fasterxml.jackson.databind.JsonNode physical =
                result.path("locations").get(0).path("physicalLocation");
        assertThat(physical.path("artifactLocation").path("uri").asText())
                .isEqualTo(dockerfile.toUri().toString());
        assertThat(physical.path("region").path("startLine").asInt()).isEqualTo(1);
        assertThat(run.out())
                .contains("is not pinned by digest")
                .contains("imagegate rewrite --map =registry.example.com/base --pin");
        assertThat(
                        CliRun.of(
                                        "gate",
                                        "--trusted",
                                        "registry.example.com/base",
                                        dockerfile.toString())
                                .exitCode())
                .isZero();
    }
}
