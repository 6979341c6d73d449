package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.Vocabulary;
import io.imagegate.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images a build configures outside Dockerfiles (Jib's base image in a POM) go through the gate
 * like a FROM.
 */
class ConfiguredImagesGateTest {
    private static final String JIB = "jib-maven-plugin <from><image>";

    @TempDir Path dir;

    private GateResult gate(List<ImageSource> images, boolean requireDigest, String... files) {
        return ImageGate.create(TestSettings.in(dir))
                .gate(
                        GateSpec.builder()
                                .files(List.of(files))
                                .images(images)
                                .trusted(List.of("registry.example.com/trusted"))
                                .requireDigest(requireDigest)
                                .build());
    }

    @Test
    void anUntrustedConfiguredImageIsReportedWhereItIsConfiguredWithAFixThatNamesTheSetting()
            throws IOException {
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM registry.example.com/trusted/docker.io/library/alpine:3.20\n");
        GateResult result =
                gate(
                        List.of(
                                new ImageSource(
                                        "eclipse-temurin:21-jre",
                                        dir.resolve("pom.xml").toString(),
                                        42,
                                        JIB)),
                        false,
                        "Dockerfile");

        assertThat(result.outcome()).isEqualTo(Outcome.POLICY_FAILED);
        assertThat(result.checked()).isEqualTo(2);
        assertThat(result.violations())
                .singleElement()
                .satisfies(
                        v -> {
                            assertThat(v.file()).endsWith("pom.xml");
                            assertThat(v.line()).isEqualTo(42);
                            assertThat(v.rule()).isEqualTo("untrusted");
                            assertThat(v.describe(Vocabulary.NEUTRAL))
                                    .endsWith(
                                            "pom.xml:42: eclipse-temurin:21-jre: docker.io/library/eclipse-temurin:21-jre"
                                                    + " is not in a trusted registry (registry.example.com/trusted) (fix: vet source=docker.io/library/eclipse-temurin:21-jre"
                                                    + " target=registry.example.com/trusted/docker.io/library/eclipse-temurin:21-jre, then set "
                                                    + JIB
                                                    + " to registry.example.com/trusted/docker.io/library/eclipse-temurin:21-jre)");
                        });
    }

    @Test
    void anImageGivenOnTheCommandLineIsLocatedThereWithoutALineNumber() {
        GateResult result =
                gate(
                        List.of(
                                new ImageSource(
                                        "eclipse-temurin:21-jre",
                                        "the command line",
                                        0,
                                        "-Djib.from.image")),
                        false);

        assertThat(result.violations())
                .singleElement()
                .satisfies(
                        v ->
                                assertThat(v.describe(Vocabulary.NEUTRAL))
                                        .startsWith("the command line: eclipse-temurin:21-jre: ")
                                        .doesNotContain(":0"));
    }

    @Test
    void anUnpinnedOrUnsetConfiguredImageSaysWhatToSet() {
        GateResult unpinned =
                gate(
                        List.of(
                                new ImageSource(
                                        "registry.example.com/trusted/base/jre:21",
                                        "pom.xml",
                                        7,
                                        JIB)),
                        true);
        assertThat(unpinned.violations())
                .singleElement()
                .satisfies(
                        v -> {
                            assertThat(v.rule()).isEqualTo("unpinned");
                            assertThat(v.fix().render(Vocabulary.NEUTRAL))
                                    .isEqualTo(
                                            "set "
                                                    + JIB
                                                    + " to registry.example.com/trusted/base/jre:21 pinned"
                                                    + " by the digest its tag holds (registry.example.com/trusted/base/jre:21@sha256:<digest>);"
                                                    + " the registry could not be asked for it");
                            // only where the registry cannot be asked: GateFixesTest pins the real
                            // digest
                            assertThat(v.edit()).isEmpty();
                        });

        GateResult unset = gate(List.of(new ImageSource("", "pom.xml", 3, JIB)), false);
        assertThat(unset.outcome()).isEqualTo(Outcome.POLICY_FAILED);
        assertThat(unset.violations())
                .singleElement()
                .satisfies(
                        v -> {
                            assertThat(v.rule()).isEqualTo("unresolved");
                            assertThat(v.reason().render(Vocabulary.NEUTRAL))
                                    .contains(
                                            JIB
                                                    + " is not set, so the build uses the tool's default base image");
                            assertThat(v.fix().render(Vocabulary.NEUTRAL))
                                    .isEqualTo("set " + JIB + " to a trusted image");
                        });
    }

    @Test
    void aTrustedConfiguredImageAloneIsEnoughToPass() {
        GateResult result =
                gate(
                        List.of(
                                new ImageSource(
                                        "registry.example.com/trusted/base/jre:21",
                                        "pom.xml",
                                        7,
                                        JIB)),
                        false);
        assertThat(result.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(result.checked()).isEqualTo(1);
    }
}
