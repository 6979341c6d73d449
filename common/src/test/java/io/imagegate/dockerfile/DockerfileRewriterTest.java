package io.imagegate.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.ImageGate;
import io.imagegate.api.Outcome;
import io.imagegate.api.RewriteResult;
import io.imagegate.api.RewriteSpec;
import io.imagegate.mapping.ImageMapping;
import io.imagegate.message.ErrorKind;
import io.imagegate.oci.Platform;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@NeedsComponents
class DockerfileRewriterTest {
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    @TempDir Path dir;

    static final String DOCKERFILE =
            """
            # syntax=docker/dockerfile:1.7
            # the build image
            from   --platform=$BUILDPLATFORM   golang:1.23   As   Build
            RUN go build -o /app .   # keep this comment

            FROM quay.io/prom/busybox:1.36@sha256:%s
            COPY --from=build /app /app
            COPY  --from=nginx:1.27   /etc/nginx /etc/nginx
            """
                    .formatted("d".repeat(64));

    private ImageMapping mapping() {
        return ImageMapping.parse(List.of("=" + registry.hostPort() + "/mirror"));
    }

    @Test
    void onlyTheReferenceTextChanges() {
        DockerfileRewriter.Result r =
                DockerfileRewriter.rewrite(
                        Path.of("Dockerfile"), DOCKERFILE, mapping(), Optional.empty());
        String m = registry.hostPort() + "/mirror/";
        assertThat(r.rewritten())
                .isEqualTo(
                        """
                # syntax=%sdocker.io/docker/dockerfile:1.7
                # the build image
                from   --platform=$BUILDPLATFORM   %sdocker.io/library/golang:1.23   As   Build
                RUN go build -o /app .   # keep this comment

                FROM %squay.io/prom/busybox:1.36@sha256:%s
                COPY --from=build /app /app
                COPY  --from=%sdocker.io/library/nginx:1.27   /etc/nginx /etc/nginx
                """
                                .formatted(m, m, m, "d".repeat(64), m));
        assertThat(r.diff()).hasSize(8);
    }

    @Test
    void rewritingTwiceEqualsRewritingOnceAndFindingGivesTheMappedReferences() {
        DockerfileRewriter.Result once =
                DockerfileRewriter.rewrite(Path.of("D"), DOCKERFILE, mapping(), Optional.empty());
        DockerfileRewriter.Result twice =
                DockerfileRewriter.rewrite(
                        Path.of("D"), once.rewritten(), mapping(), Optional.empty());
        assertThat(twice.rewritten()).isEqualTo(once.rewritten());
        assertThat(twice.changed()).isFalse();
        List<ImageRef> found =
                DockerfileReader.read(Path.of("D"), once.rewritten(), Map.of(), Optional.empty());
        assertThat(found)
                .allSatisfy(
                        ref ->
                                assertThat(ref.reference().orElseThrow().registry())
                                        .isEqualTo(registry.hostPort()));
        assertThat(found)
                .extracting(ImageRef::kind)
                .containsExactly(
                        ImageRef.Kind.SYNTAX,
                        ImageRef.Kind.BASE,
                        ImageRef.Kind.BASE,
                        ImageRef.Kind.COPY_FROM);
    }

    @Test
    void aFromThroughAnArgHasTheArgDefaultRewritten() {
        String text = "ARG BASE=\"alpine:3.20\"  # the base\nFROM $BASE\nFROM ${BASE} AS second\n";
        DockerfileRewriter.Result r =
                DockerfileRewriter.rewrite(Path.of("D"), text, mapping(), Optional.empty());
        assertThat(r.rewritten())
                .isEqualTo(
                        "ARG BASE=\""
                                + registry.hostPort()
                                + "/mirror/docker.io/library/alpine:3.20\"  # the base\n"
                                + "FROM $BASE\nFROM ${BASE} AS second\n");
        assertThat(
                        DockerfileRewriter.rewrite(
                                        Path.of("D"), r.rewritten(), mapping(), Optional.empty())
                                .changed())
                .isFalse();
    }

    @Test
    void referencesThatCannotBeRewrittenSafelyAreReported() {
        String text = "ARG V=3.20\nFROM alpine:$V\nFROM registry.example.com/\\\nx:1\n";
        DockerfileRewriter.Result r =
                DockerfileRewriter.rewrite(Path.of("D"), text, mapping(), Optional.empty());
        assertThat(r.rewritten()).isEqualTo(text);
        assertThat(r.changes())
                .extracting(c -> c.skipped().map(m -> m.code()).orElse(""))
                .contains("rewrite.through-arg", "rewrite.split");
    }

    @Test
    void pinsByTheDigestInThePrivateRegistryAndReplacesTheFileAtomically() throws IOException {
        TestImages.Index image =
                TestImages.randomIndex(
                        3,
                        List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64")),
                        1_000,
                        List.of(),
                        true);
        new ImagePusher(registry).push("mirror/docker.io/library/alpine", "3.20", image);
        Path file =
                Files.writeString(
                        dir.resolve("Dockerfile"), "FROM alpine:3.20 AS base\nRUN true\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        ImageGate gate = ImageGate.create(TestSettings.in(dir));
        List<String> rules = List.of("=" + registry.hostPort() + "/mirror");

        RewriteResult check =
                gate.rewrite(new RewriteSpec(List.of("Dockerfile"), rules, true, null, true));
        assertThat(check.outcome()).isEqualTo(Outcome.CHANGES_NEEDED);
        assertThat(check.files().get(0).changed()).isTrue();
        assertThat(Files.readString(file)).isEqualTo("FROM alpine:3.20 AS base\nRUN true\n");

        assertThat(
                        gate.rewrite(
                                        new RewriteSpec(
                                                List.of("Dockerfile"), rules, true, null, false))
                                .outcome())
                .isEqualTo(Outcome.PASSED);
        assertThat(Files.readString(file))
                .isEqualTo(
                        "FROM "
                                + registry.hostPort()
                                + "/mirror/docker.io/library/alpine:3.20@"
                                + image.digest()
                                + " AS base\nRUN true\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-r-----");
        assertThat(
                        gate.rewrite(
                                        new RewriteSpec(
                                                List.of("Dockerfile"), rules, true, null, true))
                                .changed())
                .isFalse();
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aFailedPinLeavesTheFileUntouched() throws IOException {
        Path file =
                Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\nFROM busybox:1\n");
        ImageGate gate = ImageGate.create(TestSettings.in(dir));
        RewriteResult result =
                gate.rewrite(
                        new RewriteSpec(
                                List.of("Dockerfile"),
                                List.of("=" + registry.hostPort() + "/mirror"),
                                true,
                                null,
                                false));
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.error().orElseThrow().kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(result.error().orElseThrow().message().code()).isEqualTo("rewrite.pin-missing");
        assertThat(Files.readString(file)).isEqualTo("FROM alpine:3.20\nFROM busybox:1\n");
    }
}
