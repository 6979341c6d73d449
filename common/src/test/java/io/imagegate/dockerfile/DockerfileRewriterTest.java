package io.imagegate.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.api.ImageGate;
import io.imagegate.api.Outcome;
import io.imagegate.api.RewriteResult;
import io.imagegate.api.RewriteSpec;
import io.imagegate.mapping.ImageMapping;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Platform;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.testing.BuildKitRefs;
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
        String text =
                "ARG REG=docker.io\nARG B=alpine:${REG}\nFROM $REG/library/alpine:3.20\n"
                        + "FROM $B\nFROM registry.example.com/\\\nx:1\n";
        DockerfileRewriter.Result r =
                DockerfileRewriter.rewrite(Path.of("D"), text, mapping(), Optional.empty());
        assertThat(r.rewritten()).isEqualTo(text);
        assertThat(r.changes())
                .extracting(c -> c.skipped().map(m -> m.code()).orElse(""))
                .containsExactly("rewrite.variable-name", "rewrite.through-arg", "rewrite.split");
        assertThat(r.changes()).allMatch(DockerfileRewriter.Change::needsEdit);
    }

    static final String TEMPLATED =
            """
            ARG JAVA_VERSION=21
            # the build image
            FROM maven:3.9-eclipse-temurin-${JAVA_VERSION}   AS build
            FROM eclipse-temurin:${JAVA_VERSION}-jre@sha256:%s
            """
                    .formatted("a".repeat(64));

    @Test
    void aTagWrittenWithAnArgHasItsRepositoryRewrittenAndKeepsTheArgAsBuildKitReadsIt() {
        Map<String, String> given = Map.of("JAVA_VERSION", "17");
        DockerfileRewriter.Result r =
                DockerfileRewriter.rewrite(
                        Path.of("D"), TEMPLATED, mapping(), Optional.empty(), given);
        String m = registry.hostPort() + "/mirror/docker.io/library/";
        assertThat(r.rewritten())
                .isEqualTo(
                        """
                ARG JAVA_VERSION=21
                # the build image
                FROM %smaven:3.9-eclipse-temurin-${JAVA_VERSION}   AS build
                FROM %seclipse-temurin:${JAVA_VERSION}-jre@sha256:%s
                """
                                .formatted(m, m, "a".repeat(64)));
        assertThat(r.changes()).noneMatch(DockerfileRewriter.Change::needsEdit);
        assertThat(
                        DockerfileRewriter.rewrite(
                                        Path.of("D"),
                                        r.rewritten(),
                                        mapping(),
                                        Optional.empty(),
                                        given)
                                .changed())
                .isFalse();

        // BuildKit's own frontend: with the ARG default and with the build arg, the rewritten file
        // pulls exactly the mapped images of the original.
        List<Map<String, String>> argSets = List.of(Map.of(), given);
        List<BuildKitRefs.Input> inputs = new java.util.ArrayList<>();
        for (int i = 0; i < argSets.size(); i++) {
            inputs.add(
                    new BuildKitRefs.Input(
                            "before" + i, TEMPLATED, argSets.get(i), Optional.empty()));
            inputs.add(
                    new BuildKitRefs.Input(
                            "after" + i, r.rewritten(), argSets.get(i), Optional.empty()));
        }
        List<BuildKitRefs.Output> bk = BuildKitRefs.run(inputs);
        for (int i = 0; i < argSets.size(); i++) {
            BuildKitRefs.Output before = bk.get(2 * i);
            BuildKitRefs.Output after = bk.get(2 * i + 1);
            assertThat(before.error()).isEmpty();
            assertThat(after.error()).isEmpty();
            assertThat(before.images()).hasSize(2);
            assertThat(after.images())
                    .containsExactlyInAnyOrderElementsOf(
                            before.images().stream()
                                    .map(
                                            x ->
                                                    mapping()
                                                            .map(ImageReference.parse(x))
                                                            .orElseThrow()
                                                            .toString())
                                    .toList());
            assertThat(
                            DockerfileReader.read(
                                            Path.of("D"),
                                            r.rewritten(),
                                            argSets.get(i),
                                            Optional.empty())
                                    .stream()
                                    .map(ref -> ref.reference().orElseThrow().toString())
                                    .toList())
                    .containsExactlyInAnyOrderElementsOf(after.images());
        }
        assertThat(bk.get(3).images())
                .contains(
                        m + "maven:3.9-eclipse-temurin-17",
                        m + "eclipse-temurin:17-jre@sha256:" + "a".repeat(64));
    }

    @Test
    void aTemplatedTagIsNeverPinnedAndTheMessageGivesTheLineThatPinsEachValue() {
        Digest d21 = Digest.sha256("21".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Digest d17 = Digest.sha256("17".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.util.function.Function<ImageReference, Digest> pin =
                ref -> ref.tag().orElseThrow().endsWith("21") ? d21 : d17;
        String text =
                "ARG JAVA_VERSION=21\nFROM maven:3.9-eclipse-temurin-${JAVA_VERSION} AS build\n";
        DockerfileRewriter.Result r =
                DockerfileRewriter.rewrite(
                        Path.of("D"),
                        text,
                        mapping(),
                        Optional.of(pin),
                        Map.of("JAVA_VERSION", "17"));
        String maven = registry.hostPort() + "/mirror/docker.io/library/maven:3.9-eclipse-temurin-";
        assertThat(r.rewritten())
                .isEqualTo("ARG JAVA_VERSION=21\nFROM " + maven + "${JAVA_VERSION} AS build\n");
        DockerfileRewriter.Change refused =
                r.changes().stream().filter(c -> c.skipped().isPresent()).findFirst().orElseThrow();
        assertThat(refused.needsEdit()).isTrue();
        assertThat(refused.skipped().get().code()).isEqualTo(DockerfileRewriter.PIN_TEMPLATED);
        assertThat(refused.skipped().get().toString())
                .contains("chooses its tag with JAVA_VERSION")
                .contains(
                        "edit line 2 to: FROM "
                                + maven
                                + "21@"
                                + d21
                                + " AS build (with the ARG defaults) or: FROM "
                                + maven
                                + "17@"
                                + d17
                                + " AS build (with the build args given)");
    }

    @Test
    void buildArgsGivenAreReadTooAndWhatTheFileCannotChangeIsSaid() {
        // No default: unresolvable without the build arg, rewritten with it.
        String unset = "ARG V\nFROM alpine:${V}\n";
        DockerfileRewriter.Result without =
                DockerfileRewriter.rewrite(Path.of("D"), unset, mapping(), Optional.empty());
        assertThat(without.changed()).isFalse();
        assertThat(without.changes())
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.needsEdit()).isTrue();
                            assertThat(c.skipped().get().code()).isEqualTo("rewrite.unresolved");
                        });
        DockerfileRewriter.Result with =
                DockerfileRewriter.rewrite(
                        Path.of("D"), unset, mapping(), Optional.empty(), Map.of("V", "3.20"));
        assertThat(with.rewritten())
                .isEqualTo(
                        "ARG V\nFROM "
                                + registry.hostPort()
                                + "/mirror/docker.io/library/alpine:${V}\n");

        // FROM $BASE: the default is rewritten; the build arg that overrides it is not in the
        // file, and the rewrite says what to give instead.
        DockerfileRewriter.Result base =
                DockerfileRewriter.rewrite(
                        Path.of("D"),
                        "ARG BASE=alpine:3.20\nFROM $BASE\n",
                        mapping(),
                        Optional.empty(),
                        Map.of("BASE", "busybox:1"));
        assertThat(base.rewritten())
                .isEqualTo(
                        "ARG BASE="
                                + registry.hostPort()
                                + "/mirror/docker.io/library/alpine:3.20\nFROM $BASE\n");
        assertThat(base.changes())
                .filteredOn(DockerfileRewriter.Change::needsEdit)
                .singleElement()
                .satisfies(
                        c ->
                                assertThat(c.skipped().get().toString())
                                        .contains("build arg BASE=busybox:1")
                                        .endsWith(
                                                "give BASE="
                                                        + registry.hostPort()
                                                        + "/mirror/docker.io/library/busybox:1"));
    }

    @Test
    void aRewriteThatWouldChangeWhatAnotherLineNamesWritesNothing() {
        // Rewriting BASE's default would turn line 3 into another image (registry:latest).
        String text = "ARG BASE=alpine:3.20\nFROM $BASE\nFROM ${BASE%%.*}\n";
        assertThatThrownBy(
                        () ->
                                DockerfileRewriter.rewrite(
                                        Path.of("D"), text, mapping(), Optional.empty()))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> {
                            assertThat(e.message().code()).isEqualTo("rewrite.unverified");
                            assertThat(e.getMessage()).startsWith("D:3: ");
                        });
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
