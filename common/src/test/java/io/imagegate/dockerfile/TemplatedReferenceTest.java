package io.imagegate.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.mapping.ImageMapping;
import io.imagegate.reference.ImageReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemplatedReferenceTest {
    @Test
    void theRepositoryIsThePlainTextBeforeTheTagOrDigest() {
        assertThat(TemplatedReference.of("maven:3.9-eclipse-temurin-${JAVA_VERSION}"))
                .contains(new TemplatedReference("maven", ":3.9-eclipse-temurin-${JAVA_VERSION}"));
        assertThat(TemplatedReference.of("localhost:5000/team/app:${V}-jre"))
                .contains(new TemplatedReference("localhost:5000/team/app", ":${V}-jre"));
        assertThat(TemplatedReference.of("alpine@${DIGEST}"))
                .contains(new TemplatedReference("alpine", "@${DIGEST}"));
        assertThat(TemplatedReference.of("alpine:3.20@sha256:${D}"))
                .contains(new TemplatedReference("alpine", ":3.20@sha256:${D}"));
        assertThat(TemplatedReference.of("maven:3.9-${V}").orElseThrow().repository())
                .isEqualTo("docker.io/library/maven");
    }

    @Test
    void aVariableThatMayBePartOfTheRepositoryIsNoTemplate() {
        for (String written :
                List.of(
                        "$BASE",
                        "${REG}/alpine:3.20",
                        "alpine${SUFFIX}:1",
                        "base-${TARGETARCH}",
                        "localhost:${PORT}/app:1",
                        "\"alpine\":${V}",
                        "Alpine:${V}",
                        "alpine:3\\${V}")) {
            assertThat(TemplatedReference.of(written)).as(written).isEmpty();
        }
        assertThat(TemplatedReference.of("alpine:1")).isEmpty();
    }

    @Test
    void aValueThatTurnsTheTagIntoAPathIsNotRewritten() {
        // "localhost:" then a value with a slash: the plain text looked like a name and a tag, but
        // the value makes it a registry with a port.
        String text = "ARG P=5000/team/app\nFROM localhost:${P}\n";
        DockerfileRewriter.Result r =
                DockerfileRewriter.rewrite(
                        Path.of("D"),
                        text,
                        ImageMapping.parse(List.of("=registry.example.com/mirror")),
                        Optional.empty(),
                        Map.of());
        assertThat(r.rewritten()).isEqualTo(text);
        assertThat(r.changes())
                .singleElement()
                .satisfies(
                        c ->
                                assertThat(c.skipped().orElseThrow().code())
                                        .isEqualTo("rewrite.variable-name"));
        assertThat(
                        new TemplatedReference("localhost", ":${P}")
                                .names(ImageReference.parse("localhost:5000/team/app")))
                .isFalse();
    }
}
