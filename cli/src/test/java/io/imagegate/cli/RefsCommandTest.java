package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefsCommandTest {
    @TempDir Path dir;

    @Test
    void listsReferencesAsTextAndJsonPerPlatform() throws Exception {
        Path dockerfile =
                Files.writeString(
                        dir.resolve("Dockerfile"),
                        """
                # syntax=docker/dockerfile:1.7
                ARG V=3.20
                FROM --platform=$BUILDPLATFORM alpine:${V} AS build
                FROM example.com/runtime-${TARGETARCH}:1
                COPY --from=build /a /a
                COPY --from=nginx@sha256:%s /b /b
                """
                                .formatted("b".repeat(64)));
        CliRun text =
                CliRun.of(
                        "refs",
                        "--platform",
                        "linux/amd64",
                        "--platform",
                        "linux/arm64",
                        "--build-arg",
                        "V=3.19",
                        dockerfile.toString());
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out().lines())
                .containsExactly(
                        dockerfile + ":1:10 syntax docker.io/docker/dockerfile:1.7",
                        dockerfile + ":3:32 base docker.io/library/alpine:3.19",
                        dockerfile + ":4:6 base example.com/runtime-amd64:1",
                        dockerfile + ":4:6 base example.com/runtime-arm64:1",
                        dockerfile
                                + ":6:13 copy-from docker.io/library/nginx@sha256:"
                                + "b".repeat(64)
                                + " (pinned)");

        CliRun json = CliRun.of("refs", "--json", dockerfile.toString());
        JsonNode document = new ObjectMapper().readTree(json.out());
        assertThat(document.path("schemaVersion").asInt()).isEqualTo(1);
        assertThat(document.path("command").asText()).isEqualTo("refs");
        assertThat(document.path("outcome").asText()).isEqualTo("PASSED");
        JsonNode array = document.path("references");
        assertThat(array).hasSize(4);
        JsonNode alpine = array.get(1);
        assertThat(alpine.path("file").asText()).isEqualTo(dockerfile.toString());
        assertThat(alpine.path("line").asInt()).isEqualTo(3);
        assertThat(alpine.path("column").asInt()).isEqualTo(32);
        assertThat(alpine.path("kind").asText()).isEqualTo("base");
        assertThat(alpine.path("written").asText()).isEqualTo("alpine:${V}");
        assertThat(alpine.path("reference").asText()).isEqualTo("docker.io/library/alpine:3.20");
        assertThat(alpine.path("pinned").asBoolean()).isFalse();
        assertThat(array.get(3).path("pinned").asBoolean()).isTrue();
    }

    @Test
    void unresolvedReferencesExitOneAndErrorsExitTwo() throws Exception {
        Path unresolved = Files.writeString(dir.resolve("u.Dockerfile"), "FROM ${BASE}\n");
        CliRun run = CliRun.of("refs", "--json", unresolved.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode document = new ObjectMapper().readTree(run.out());
        assertThat(document.path("outcome").asText()).isEqualTo("CHANGES_NEEDED");
        assertThat(document.path("references").get(0).path("error").asText())
                .contains("BASE, which has no value");

        Path broken = Files.writeString(dir.resolve("b.Dockerfile"), "FROM\n");
        CliRun error = CliRun.of("refs", broken.toString());
        assertThat(error.exitCode()).isEqualTo(2);
        assertThat(error.err().strip())
                .isEqualTo(
                        "imagegate: " + broken + ":1: FROM needs an image, e.g. FROM alpine:3.20");

        CliRun missing = CliRun.of("refs", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read the Dockerfile");
    }
}
