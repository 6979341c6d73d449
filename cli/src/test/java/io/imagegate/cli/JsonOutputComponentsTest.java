package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.oci.Platform;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --json} of the commands that reach a registry and Trivy: the real ones, as the other
 * command tests use them.
 */
@NeedsComponents
class JsonOutputComponentsTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    static TestImages.Image clean;
    static TestImages.Index multi;

    @TempDir Path dir;

    @BeforeAll
    static void images() {
        Platform amd64 = Platform.parse("linux/amd64");
        clean =
                TestImages.alpine(
                        amd64,
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r30", "busybox"}));
        multi =
                TestImages.index(
                        List.of(
                                TestImages.alpine(
                                        amd64,
                                        List.<String[]>of(
                                                new String[] {"openssl", "3.5.0-r0", "openssl"},
                                                new String[] {"busybox", "1.37.0-r1", "busybox"})),
                                TestImages.alpine(
                                        Platform.parse("linux/arm64"),
                                        List.<String[]>of(
                                                new String[] {"busybox", "1.37.0-r1", "busybox"}))),
                        true);
        ImagePusher pusher = new ImagePusher(upstream);
        pusher.push("library/clean", "1", clean);
        pusher.push("library/multi", "1", multi);
    }

    private static CliRun offline(String... args) {
        List<String> all =
                new ArrayList<>(
                        List.of(
                                args[0],
                                "--json",
                                "--cache-dir",
                                FixtureVulnerabilityDb.cacheDir().toString(),
                                "--skip-db-update",
                                "--skip-java-db-update",
                                "--offline-scan"));
        all.addAll(List.of(args).subList(1, args.length));
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void importSaysWhatItCopied() {
        CliRun run =
                CliRun.of(
                        "import",
                        "--json",
                        upstream.hostPort() + "/library/clean:1",
                        registry.hostPort() + "/mirror/clean:1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode document = JsonDocument.of(run, "import");
        assertThat(JsonDocument.keys(document))
                .containsExactly(
                        "schemaVersion",
                        "command",
                        "outcome",
                        "target",
                        "digest",
                        "sourceDigest",
                        "mediaType",
                        "platformDigests",
                        "upToDate",
                        "copiedBlobs",
                        "copiedBytes",
                        "mountedBlobs",
                        "presentBlobs",
                        "referrers",
                        "requests");
        assertThat(document.path("outcome").asText()).isEqualTo("PASSED");
        assertThat(document.path("digest").asText()).isEqualTo(clean.digest().toString());
        assertThat(document.path("target").asText())
                .isEqualTo(registry.hostPort() + "/mirror/clean:1@" + clean.digest());
        assertThat(document.path("upToDate").asBoolean()).isFalse();
        assertThat(document.path("copiedBlobs").asInt()).isPositive();
        // the summary line went to stderr
        assertThat(run.err()).contains("imported " + registry.hostPort() + "/mirror/clean:1@");

        JsonNode missing =
                JsonDocument.error(
                        CliRun.of(
                                "import",
                                "--json",
                                upstream.hostPort() + "/library/none:1",
                                registry.hostPort() + "/mirror/none:1"),
                        "import",
                        "NOT_FOUND");
        assertThat(missing.path("error").asText()).contains("does not exist");
    }

    @Test
    void scanGivesEachPlatformsVerdictCountsWorstFirstReasonsAndReports() {
        Path reports = dir.resolve("reports");
        CliRun run =
                offline(
                        "scan",
                        "--report-dir",
                        reports.toString(),
                        upstream.hostPort() + "/library/multi:1");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        JsonNode document = JsonDocument.of(run, "scan");
        assertThat(JsonDocument.keys(document))
                .containsExactly(
                        "schemaVersion",
                        "command",
                        "outcome",
                        "image",
                        "digest",
                        "verdict",
                        "counts",
                        "reasons",
                        "verdicts",
                        "scanner",
                        "reports");
        assertThat(document.path("outcome").asText()).isEqualTo("POLICY_FAILED");
        assertThat(document.path("digest").asText()).isEqualTo(multi.digest().toString());
        assertThat(document.path("verdict").asText()).isEqualTo("FAIL");
        assertThat(JsonDocument.keys(document.path("counts")))
                .containsExactly("CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN");
        assertThat(document.path("counts").path("CRITICAL").asInt()).isEqualTo(1);
        assertThat(document.path("reasons").get(0).asText()).startsWith("linux/amd64: ");
        JsonNode amd64 = document.path("verdicts").get(0);
        assertThat(amd64.path("digest").asText())
                .isEqualTo(multi.images().get(0).digest().toString());
        assertThat(amd64.path("image").asText())
                .isEqualTo(
                        upstream.hostPort() + "/library/multi@" + multi.images().get(0).digest());
        assertThat(amd64.path("verdict").asText()).isEqualTo("FAIL");
        assertThat(amd64.path("reasons")).isNotEmpty();
        assertThat(amd64.path("failing").get(0).asText())
                .isEqualTo("CRITICAL CVE-2099-0001 openssl 3.5.0-r0");
        assertThat(document.path("verdicts").get(1).path("verdict").asText()).isEqualTo("PASS");
        assertThat(document.path("verdicts").get(1).path("reasons")).isEmpty();
        List<String> written = new ArrayList<>();
        document.path("reports").forEach(r -> written.add(r.asText()));
        // imagegate's four reports, the stylesheet beside the HTML, and Trivy's own JSON of each
        // platform
        assertThat(written)
                .hasSize(7)
                .allSatisfy(r -> assertThat(Path.of(r)).startsWith(reports).isRegularFile());
        assertThat(written).filteredOn(r -> r.endsWith(".trivy.json")).hasSize(2);
        assertThat(written).filteredOn(r -> r.endsWith("imagegate-report.css")).hasSize(1);
        assertThat(run.err()).contains("CRITICAL CVE-2099-0001 openssl").contains("[2/2]");

        JsonNode noTrivy =
                JsonDocument.error(
                        offline(
                                "scan",
                                "--trivy",
                                dir.resolve("nope").toString(),
                                upstream.hostPort() + "/library/multi:1"),
                        "scan",
                        "CONFIGURATION");
        assertThat(noTrivy.path("error").asText()).contains("--trivy");
    }

    @Test
    void vetVerdictAndTheGateThatReadsIt() throws Exception {
        String trusted = registry.hostPort() + "/base";
        CliRun vet = offline("vet", upstream.hostPort() + "/library/clean:1", trusted + "/clean:1");
        assertThat(vet.exitCode()).as(vet.err()).isZero();
        JsonNode vetted = JsonDocument.of(vet, "vet");
        assertThat(JsonDocument.keys(vetted))
                .containsExactly(
                        "schemaVersion",
                        "command",
                        "outcome",
                        "source",
                        "target",
                        "digest",
                        "verdict",
                        "promoted",
                        "alreadyVetted",
                        "verdictStored",
                        "quarantine",
                        "counts",
                        "reasons",
                        "verdicts",
                        "reports");
        assertThat(vetted.path("verdict").asText()).isEqualTo("PASS");
        assertThat(vetted.path("promoted").asBoolean()).isTrue();
        assertThat(vetted.path("digest").asText()).isEqualTo(clean.digest().toString());
        assertThat(vetted.path("verdictStored").asText()).startsWith(trusted + "/clean@sha256:");

        CliRun refused =
                offline("vet", upstream.hostPort() + "/library/multi:1", trusted + "/multi:1");
        assertThat(refused.exitCode()).isEqualTo(1);
        JsonNode failed = JsonDocument.of(refused, "vet");
        assertThat(failed.path("outcome").asText()).isEqualTo("POLICY_FAILED");
        assertThat(failed.path("verdict").asText()).isEqualTo("FAIL");
        assertThat(failed.path("promoted").asBoolean()).isFalse();
        assertThat(failed.path("reasons")).isNotEmpty();

        CliRun verdict = CliRun.of("verdict", "--json", trusted + "/clean:1");
        assertThat(verdict.exitCode()).as(verdict.err()).isZero();
        JsonNode verdicts = JsonDocument.of(verdict, "verdict");
        assertThat(verdicts.path("outcome").asText()).isEqualTo("PASSED");
        assertThat(verdicts.path("digest").asText()).isEqualTo(clean.digest().toString());
        JsonNode newest = verdicts.path("verdicts").get(0);
        assertThat(newest.path("verdict").asText()).isEqualTo("PASS");
        assertThat(newest.path("subject").asText()).contains(clean.digest().toString());
        // the verdict document itself, as values (docs/verdict-v1.schema.json)
        assertThat(newest.path("document").isObject()).isTrue();
        assertThat(newest.path("document").path("verdict").asText()).isEqualTo("PASS");
        assertThat(verdict.err()).contains("PASS " + clean.digest());

        Path dockerfile =
                Files.writeString(
                        dir.resolve("Dockerfile"),
                        "FROM " + trusted + "/clean:1\nFROM " + trusted + "/multi:1\n");
        CliRun gate =
                CliRun.of(
                        "gate",
                        "--json",
                        "--trusted",
                        trusted,
                        "--require-vetted",
                        dockerfile.toString());
        assertThat(gate.exitCode()).isEqualTo(1);
        JsonNode gated = JsonDocument.of(gate, "gate");
        assertThat(gated.path("checked").asInt()).isEqualTo(2);
        assertThat(gated.path("violations")).hasSize(1);
        assertThat(gated.path("violations").get(0).path("line").asInt()).isEqualTo(2);
        assertThat(gated.path("violations").get(0).path("rule").asText()).isEqualTo("not-vetted");
    }

    @Test
    void syncListsEveryImageAndNamesTheOneThatFailed() throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("sync.yaml"),
                        """
                images:
                  - source: %s/library/clean:1
                    target: %s/synced/clean:1
                  - source: %s/library/missing:1
                    target: %s/synced/missing:1
                """
                                .formatted(
                                        upstream.hostPort(),
                                        registry.hostPort(),
                                        upstream.hostPort(),
                                        registry.hostPort()));
        CliRun run = offline("sync", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        JsonNode document = JsonDocument.of(run, "sync");
        assertThat(document.path("outcome").asText()).isEqualTo("ERROR");
        assertThat(document.path("errorKind").asText()).isEqualTo("NOT_FOUND");
        assertThat(document.path("error").asText())
                .startsWith(registry.hostPort() + "/synced/missing:1: ");
        assertThat(document.path("images").asInt()).isEqualTo(2);
        assertThat(document.path("vetted").asInt()).isEqualTo(1);
        assertThat(document.path("failed").asInt()).isEqualTo(1);
        JsonNode first = document.path("entries").get(0);
        assertThat(first.path("outcome").asText()).isEqualTo("PASSED");
        assertThat(first.path("digest").asText()).isEqualTo(clean.digest().toString());
        assertThat(first.path("vetted").asBoolean()).isTrue();
        assertThat(document.path("entries").get(1).path("errorKind").asText())
                .isEqualTo("NOT_FOUND");
        assertThat(run.err()).contains("2 image(s), 1 vetted, 1 failed");
    }
}
