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
 * The gate on references written with ARGs: it checks the image the ARG (its default, or the build
 * arg given) resolves to, and its fix names the edit a rewrite cannot make; following the fix as
 * printed turns the violation green.
 */
class TemplatedReferencesGateTest {
    private static final String TRUSTED = "registry.example.com/trusted";
    private static final String MAVEN = TRUSTED + "/docker.io/library/maven:3.9-eclipse-temurin-";

    @TempDir Path dir;

    private GateResult gate(boolean requireDigest, String... buildArgs) {
        return ImageGate.create(TestSettings.in(dir))
                .gate(
                        GateSpec.builder()
                                .files(List.of("Dockerfile"))
                                .buildArgs(List.of(buildArgs))
                                .trusted(List.of(TRUSTED))
                                .requireDigest(requireDigest)
                                .build());
    }

    private Path dockerfile(String text) throws IOException {
        return Files.writeString(dir.resolve("Dockerfile"), text);
    }

    /** Follows an "edit FILE line N to: TEXT" fix as printed. */
    private static void edit(Path file, int line, String fix) throws IOException {
        String marker = "line " + line + " to: ";
        String text = fix.substring(fix.indexOf(marker) + marker.length());
        int end = text.indexOf("; then ");
        String replacement =
                end < 0 ? text.substring(0, text.length() - 1) : text.substring(0, end);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(file));
        lines.set(line - 1, replacement);
        Files.writeString(file, String.join("\n", lines) + "\n");
    }

    @Test
    void anUntrustedTemplatedTagIsCheckedAsResolvedAndItsFixIsTheLineThatKeepsTheArg()
            throws IOException {
        Path file =
                dockerfile(
                        "ARG JAVA_VERSION=21\nFROM maven:3.9-eclipse-temurin-${JAVA_VERSION}   AS build\n");

        GateResult withArg = gate(false, "JAVA_VERSION=17");
        assertThat(withArg.violations())
                .singleElement()
                .satisfies(
                        v ->
                                assertThat(v.reference())
                                        .isEqualTo(
                                                "docker.io/library/maven:3.9-eclipse-temurin-17"));

        GateResult result = gate(false);
        assertThat(result.outcome()).isEqualTo(Outcome.POLICY_FAILED);
        GateResult.Violation v = result.violations().get(0);
        assertThat(v.rule()).isEqualTo("untrusted");
        String described = v.describe(Vocabulary.NEUTRAL);
        assertThat(described)
                .endsWith(
                        "(fix: vet source=docker.io/library/maven:3.9-eclipse-temurin-21 target="
                                + MAVEN
                                + "21 && edit "
                                + file
                                + " line 2 to: FROM "
                                + MAVEN
                                + "${JAVA_VERSION}   AS build)");

        edit(file, 2, described);
        assertThat(Files.readString(file))
                .isEqualTo("ARG JAVA_VERSION=21\nFROM " + MAVEN + "${JAVA_VERSION}   AS build\n");
        assertThat(gate(false).outcome()).isEqualTo(Outcome.PASSED);
        assertThat(gate(false, "JAVA_VERSION=17").outcome()).isEqualTo(Outcome.PASSED);
    }

    @Test
    void aTemplatedTagThatMustBePinnedIsFixedByNamingTheImageThenPinning() throws IOException {
        Path file = dockerfile("ARG JAVA_VERSION=21\nFROM " + MAVEN + "${JAVA_VERSION}\n");
        GateResult result = gate(true);
        GateResult.Violation v = result.violations().get(0);
        assertThat(v.rule()).isEqualTo("unpinned");
        String described = v.describe(Vocabulary.NEUTRAL);
        assertThat(described)
                .contains("edit " + file + " line 2 to: FROM " + MAVEN + "21; then rewrite ")
                .contains("pin=true");
        edit(file, 2, described);
        assertThat(Files.readString(file)).isEqualTo("ARG JAVA_VERSION=21\nFROM " + MAVEN + "21\n");
        // The line names one image now: the rewrite the fix names next pins it
        // (DockerfileRewriter).
        assertThat(gate(true).violations())
                .singleElement()
                .satisfies(
                        after ->
                                assertThat(after.fix().code())
                                        .isNotEqualTo("gate.fix-edit-line-pin"));
    }

    @Test
    void aRepositoryWrittenWithAVariableIsFixedByWritingTheImage() throws IOException {
        Path file = dockerfile("ARG REG=docker.io\nFROM ${REG}/library/alpine:3.20 AS base\n");
        String described = gate(false).violations().get(0).describe(Vocabulary.NEUTRAL);
        assertThat(described)
                .endsWith(
                        "edit "
                                + file
                                + " line 2 to: FROM "
                                + TRUSTED
                                + "/docker.io/library/alpine:3.20 AS base)");
        edit(file, 2, described);
        assertThat(gate(false).outcome()).isEqualTo(Outcome.PASSED);
    }

    @Test
    void aBaseGivenAsABuildArgIsFixedByGivingTheTrustedImage() throws IOException {
        dockerfile("ARG BASE\nFROM $BASE\n");
        GateResult result = gate(false, "BASE=alpine:3.20");
        assertThat(result.violations().get(0).describe(Vocabulary.NEUTRAL))
                .endsWith(
                        "&& give the build arg BASE="
                                + TRUSTED
                                + "/docker.io/library/alpine:3.20 (build-arg))");
        assertThat(gate(false, "BASE=" + TRUSTED + "/docker.io/library/alpine:3.20").outcome())
                .isEqualTo(Outcome.PASSED);
    }
}
