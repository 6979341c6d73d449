package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code imagegate update} as a command: its exit codes, messages in the CLI's words, and its JSON.
 * Re-pinning against a registry is UpdateTest's.
 */
class UpdateCommandTest {
    @TempDir Path dir;

    @Test
    void nothingUnderATrustedPrefixChangesNothingAndSaysSo() throws Exception {
        Path dockerfile =
                Files.writeString(
                        dir.resolve("Dockerfile"), "FROM docker.io/library/alpine:3.20\n");

        CliRun run =
                CliRun.of(
                        "update",
                        "--json",
                        "--check",
                        "--trusted",
                        "registry.example.com/base",
                        dockerfile.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("outcome").asText()).isEqualTo("PASSED");
        assertThat(json.path("changed").asBoolean(true)).isFalse();
        assertThat(json.path("summary").asText()).contains("Nothing to update");
        assertThat(run.err()).contains("nothing to update");
    }

    @Test
    void anUnparseablePomExitsTwoNamingTheFile() throws Exception {
        Path pom = Files.writeString(dir.resolve("pom.xml"), "<project><build></project>\n");

        CliRun run = CliRun.of("update", "--trusted", "registry.example.com/base", pom.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(pom + ":1").contains("not well-formed XML");
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aBranchWithoutCommitIsAUsageErrorInTheCommandLinesWords() throws Exception {
        Path dockerfile = Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\n");

        CliRun run =
                CliRun.of(
                        "update",
                        "--trusted",
                        "registry.example.com/base",
                        "--branch",
                        "x",
                        dockerfile.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--branch").contains("--commit");
    }
}
