package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.imagegate.message.Vocabulary;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.SarifSchema;
import io.imagegate.testing.TestSettings;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's SARIF log: one error per violation, its rule the gate's, located at the Dockerfile's
 * line or the POM line of Jib's base image relative to the project, an image from the command line
 * at a logical location; valid against the official SARIF 2.1.0 schema (fetched with npm, hence a
 * component).
 */
@NeedsComponents
class GateSarifTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRUSTED = "registry.example.com/trusted";

    @TempDir Path dir;

    private GateResult gate(List<ImageSource> images, String... files) {
        return ImageGate.create(TestSettings.in(dir))
                .gate(
                        GateSpec.builder()
                                .files(List.of(files))
                                .images(images)
                                .trusted(List.of(TRUSTED))
                                .requireDigest(true)
                                .build());
    }

    private JsonNode sarif(GateResult result) throws Exception {
        Path file =
                result.writeSarif(
                        dir.resolve("target/imagegate/gate.sarif"), dir, Vocabulary.NEUTRAL);
        assertThat(file).isRegularFile();
        JsonNode sarif = JSON.readTree(file.toFile());
        try (InputStream schema = Files.newInputStream(SarifSchema.path())) {
            assertThat(
                            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                                    .getSchema(schema)
                                    .validate(sarif))
                    .as("SARIF 2.1.0 schema violations")
                    .isEmpty();
        }
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers).as("no temporary file left").containsExactly(file);
        }
        return sarif;
    }

    @Test
    void eachViolationIsAnErrorAtItsDockerfileLineOrPomLine() throws Exception {
        Files.createDirectories(dir.resolve("app"));
        Files.writeString(
                dir.resolve("app/Dockerfile"),
                "# syntax check\nFROM alpine:3.20 AS build\nFROM "
                        + TRUSTED
                        + "/docker.io/library/alpine:3.20\nFROM ${NOPE}\n");
        Files.writeString(dir.resolve("pom.xml"), "<project/>\n");
        GateResult result =
                gate(
                        List.of(
                                new ImageSource(
                                        "eclipse-temurin:21-jre",
                                        dir.resolve("pom.xml").toString(),
                                        42,
                                        "jib-maven-plugin <from><image>")),
                        "app/Dockerfile");
        assertThat(result.violations()).hasSize(4);

        JsonNode run = sarif(result).path("runs").get(0);
        List<String> rules = new ArrayList<>();
        run.path("tool")
                .path("driver")
                .path("rules")
                .forEach(r -> rules.add(r.path("id").asText()));
        assertThat(rules).containsExactly("untrusted", "not-vetted", "unpinned", "unresolved");
        JsonNode results = run.path("results");
        assertThat(results).hasSize(4);
        List<String> seen = new ArrayList<>();
        for (JsonNode r : results) {
            JsonNode physical = r.path("locations").get(0).path("physicalLocation");
            seen.add(
                    r.path("ruleId").asText()
                            + " "
                            + physical.path("artifactLocation").path("uri").asText()
                            + ":"
                            + physical.path("region").path("startLine").asInt());
            assertThat(r.path("level").asText()).isEqualTo("error");
            assertThat(rules.get(r.path("ruleIndex").asInt())).isEqualTo(r.path("ruleId").asText());
            assertThat(physical.path("artifactLocation").path("uriBaseId").asText())
                    .isEqualTo("PROJECTROOT");
        }
        assertThat(seen)
                .containsExactlyInAnyOrder(
                        "untrusted app/Dockerfile:2",
                        "unpinned app/Dockerfile:3",
                        "unresolved app/Dockerfile:4",
                        "untrusted pom.xml:42");
        JsonNode untrusted = results.get(seen.indexOf("untrusted app/Dockerfile:2"));
        assertThat(untrusted.path("message").path("text").asText())
                .startsWith("docker.io/library/alpine:3.20 is not in a trusted registry")
                .contains("(fix: vet source=docker.io/library/alpine:3.20");
        assertThat(run.path("originalUriBaseIds").path("PROJECTROOT").path("uri").asText())
                .isEqualTo(dir.toAbsolutePath().normalize().toUri().toString());
    }

    @Test
    void anImageFromTheCommandLineHasALogicalLocationAndNoLine() throws Exception {
        GateResult result =
                gate(
                        List.of(
                                new ImageSource(
                                        "eclipse-temurin:21-jre",
                                        "the command line",
                                        0,
                                        "-Djib.from.image")));

        JsonNode location =
                sarif(result).path("runs").get(0).path("results").get(0).path("locations").get(0);
        assertThat(location.has("physicalLocation")).isFalse();
        assertThat(location.path("logicalLocations").get(0).path("name").asText())
                .isEqualTo("the command line");
    }

    @Test
    void aPassingGateWritesAnEmptyLogSoFixedAlertsClose() throws Exception {
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM " + TRUSTED + "/docker.io/library/alpine@sha256:" + "a".repeat(64) + "\n");
        GateResult result = gate(List.of(), "Dockerfile");
        assertThat(result.outcome()).isEqualTo(Outcome.PASSED);

        assertThat(sarif(result).path("runs").get(0).path("results")).isEmpty();
    }
}
