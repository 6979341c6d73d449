package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --json} without a registry: every command takes it, stdout is one document, the text goes
 * to stderr, and a mistake (on the command line, in an option, in the input) is a document with its
 * error kind, exit code unchanged.
 */
class JsonOutputTest {
    @TempDir Path dir;

    @Test
    void everyCommandTakesJson() {
        List<String> commands = new ArrayList<>();
        for (CommandLine sub : Main.commandLine().getSubcommands().values()) {
            if (sub.getCommandName().equals("help")) {
                continue;
            }
            assertThat(sub.getCommandSpec().findOption("--json"))
                    .as(sub.getCommandName())
                    .isNotNull();
            commands.add(sub.getCommandName());
        }
        assertThat(commands)
                .containsExactlyInAnyOrder(
                        "import",
                        "scan",
                        "vet",
                        "sync",
                        "sync-report",
                        "verdict",
                        "refs",
                        "rewrite",
                        "gate",
                        "update");
    }

    @Test
    void rewriteInCheckModeListsTheFilesAndTheirDiff() throws Exception {
        Path dockerfile =
                Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\nFROM scratch\n");
        CliRun run =
                CliRun.of(
                        "rewrite",
                        "--json",
                        "--map",
                        "=registry.example.com/mirror",
                        "--check",
                        dockerfile.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode document = JsonDocument.of(run, "rewrite");
        assertThat(JsonDocument.keys(document))
                .containsExactly("schemaVersion", "command", "outcome", "changed", "files");
        assertThat(document.path("outcome").asText()).isEqualTo("CHANGES_NEEDED");
        assertThat(document.path("changed").asBoolean()).isTrue();
        JsonNode file = document.path("files").get(0);
        assertThat(file.path("file").asText()).isEqualTo(dockerfile.toString());
        assertThat(file.path("changed").asBoolean()).isTrue();
        assertThat(file.path("written").asBoolean()).isFalse();
        assertThat(file.path("diff").get(1).asText())
                .isEqualTo(
                        dockerfile
                                + ":1: + FROM registry.example.com/mirror/docker.io/library/alpine:3.20");
        // the diff the text run prints on stdout went to stderr
        assertThat(run.err()).contains(dockerfile + ":1: - FROM alpine:3.20");
    }

    @Test
    void gateViolationsAreValuesWithTheirRuleReasonAndFix() throws Exception {
        Path dockerfile = Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\n");
        CliRun run =
                CliRun.of(
                        "gate",
                        "--json",
                        "--trusted",
                        "registry.example.com/base",
                        dockerfile.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode document = JsonDocument.of(run, "gate");
        assertThat(document.path("outcome").asText()).isEqualTo("POLICY_FAILED");
        assertThat(document.path("checked").asInt()).isEqualTo(1);
        JsonNode violation = document.path("violations").get(0);
        assertThat(JsonDocument.keys(violation))
                .containsExactly(
                        "file", "line", "written", "reference", "rule", "reason", "fix", "fixes");
        // the same fix, structured: each command's operation and inputs
        assertThat(violation.path("fixes").get(0).path("operation").asText()).isEqualTo("vet");
        assertThat(violation.path("fixes").get(0).path("inputs").path("source").asText())
                .isEqualTo("docker.io/library/alpine:3.20");
        assertThat(violation.path("file").asText()).isEqualTo(dockerfile.toString());
        assertThat(violation.path("line").asInt()).isEqualTo(1);
        assertThat(violation.path("rule").asText()).isEqualTo("untrusted");
        assertThat(violation.path("reason").asText()).contains("is not in a trusted registry");
        // the fix in the command line's words
        assertThat(violation.path("fix").asText())
                .startsWith("imagegate vet docker.io/library/alpine:3.20 ");
        assertThat(document.path("summary").asText())
                .isEqualTo("1 violation(s) in 1 image reference(s)");
        assertThat(run.err()).contains(dockerfile + ":1: alpine:3.20: ");
    }

    @Test
    void gateWarnOnlyExitsZeroWithTheSameViolationsAndSaysSoInTheDocument() throws Exception {
        Path dockerfile = Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\n");
        CliRun strict =
                CliRun.of("gate", "--trusted", "registry.example.com/base", dockerfile.toString());
        CliRun text =
                CliRun.of(
                        "gate",
                        "--warn-only",
                        "--trusted",
                        "registry.example.com/base",
                        dockerfile.toString());
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(text.exitCode()).isZero();
        assertThat(text.out())
                .startsWith(strict.out())
                .contains("--warn-only: the violations do not fail the run");

        CliRun json =
                CliRun.of(
                        "gate",
                        "--json",
                        "--warn-only",
                        "--trusted",
                        "registry.example.com/base",
                        dockerfile.toString());
        assertThat(json.exitCode()).isZero();
        JsonNode document = JsonDocument.of(json, "gate");
        // the outcome stays the truth; warnOnly says why the exit code is 0
        assertThat(document.path("outcome").asText()).isEqualTo("POLICY_FAILED");
        assertThat(document.path("warnOnly").asBoolean()).isTrue();
        assertThat(document.path("violations")).hasSize(1);

        // an error is one whatever --warn-only says
        CliRun error =
                CliRun.of(
                        "gate",
                        "--json",
                        "--warn-only",
                        "--trusted",
                        "registry.example.com/base",
                        dir.resolve("missing/Dockerfile").toString());
        assertThat(error.exitCode()).isEqualTo(2);
    }

    @Test
    void anErrorOfTheOperationIsADocumentWithItsKind() throws Exception {
        Path broken = Files.writeString(dir.resolve("b.Dockerfile"), "FROM\n");
        CliRun refs = CliRun.of("refs", "--json", broken.toString());
        JsonNode document = JsonDocument.error(refs, "refs", "CONFIGURATION");
        assertThat(JsonDocument.keys(document))
                .containsExactly(
                        "schemaVersion", "command", "outcome", "error", "errorKind", "retryable");
        assertThat(document.path("error").asText())
                .isEqualTo(broken + ":1: FROM needs an image, e.g. FROM alpine:3.20");
        assertThat(document.path("retryable").asBoolean()).isFalse();
        // and the one line on stderr, as without --json
        assertThat(refs.err().strip())
                .isEqualTo(
                        "imagegate: " + broken + ":1: FROM needs an image, e.g. FROM alpine:3.20");

        CliRun badSource =
                CliRun.of("import", "--json", "NOT a reference", "registry.example.com/base/x:1");
        assertThat(JsonDocument.error(badSource, "import", "USAGE").path("error").asText())
                .contains("SOURCE");
    }

    @Test
    void aMistakeOnTheCommandLineIsAUsageErrorDocument() {
        // refused while parsing: picocli's own message
        CliRun unknown = CliRun.of("scan", "--json", "--no-such-option", "alpine");
        assertThat(JsonDocument.error(unknown, "scan", "USAGE").path("error").asText())
                .contains("--no-such-option");
        assertThat(unknown.err()).contains("Try 'imagegate scan --help'");

        CliRun missing = CliRun.of("gate", "--json", "Dockerfile");
        assertThat(JsonDocument.error(missing, "gate", "USAGE").path("error").asText())
                .contains("--trusted");

        CliRun badSwitch =
                CliRun.of(
                        "vet",
                        "--json",
                        "--force=yes",
                        "alpine:3.20",
                        "registry.example.com/base/alpine:3.20");
        assertThat(JsonDocument.error(badSwitch, "vet", "USAGE").path("error").asText())
                .contains("--force: \"yes\" is not true or false");

        // refused while binding an option (ErrorHandler): the library's typed error
        CliRun badCreds =
                CliRun.of(
                        "verdict",
                        "--json",
                        "--creds-env",
                        "no-equals-sign",
                        "registry.example.com/base/alpine:3.20");
        JsonNode creds = JsonDocument.error(badCreds, "verdict", "USAGE");
        assertThat(creds.path("error").asText()).contains("--creds-env");
    }

    @Test
    void withoutJsonOrWithJsonFalseStdoutIsText() throws Exception {
        Path broken = Files.writeString(dir.resolve("b.Dockerfile"), "FROM\n");
        for (String[] args :
                List.of(
                        new String[] {"refs", broken.toString()},
                        new String[] {"refs", "--json=false", broken.toString()},
                        new String[] {
                            "refs", "--no-such-option", "--json=false", broken.toString()
                        },
                        // after -- it is a file's name, not the option
                        new String[] {"refs", "--no-such-option", "--", "--json"})) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.out()).as(String.join(" ", args)).isEmpty();
        }
        Path dockerfile = Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\n");
        CliRun text = CliRun.of("refs", dockerfile.toString());
        assertThat(text.out()).startsWith(dockerfile + ":1:6 base docker.io/library/alpine:3.20");
    }
}
