package io.imagegate.jenkins.library;

import static org.assertj.core.api.Assertions.assertThat;

import com.lesfurets.jenkins.unit.BasePipelineTest;
import io.imagegate.api.FindingSummary;
import io.imagegate.api.GateResult;
import io.imagegate.api.OperationResult;
import io.imagegate.api.Outcome;
import io.imagegate.api.ResultValues;
import io.imagegate.api.ScanResult;
import io.imagegate.api.VerdictSummary;
import io.imagegate.jenkins.BuildResult;
import io.imagegate.jenkins.ParameterModel;
import io.imagegate.jenkins.StepKind;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.Vocabulary;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The library's steps with JenkinsPipelineUnit: exact command lines, credentials, the outcome
 * table, and the plugin's parameters.
 */
class LibraryStepsTest extends BasePipelineTest {
    Pipeline.Log log;

    @BeforeEach
    void setUpPipeline() throws Exception {
        setScriptRoots("target/test-classes/jenkinsfiles");
        setScriptExtension("");
        super.setUp();
        log = Pipeline.install(this, Map.of(), false);
    }

    private Object call(String step, Map<String, Object> args) {
        getBinding().setVariable("stepName", step);
        getBinding().setVariable("stepArgs", args);
        getBinding().setVariable("returned", null);
        Pipeline.run(this, "Call");
        return getBinding().getVariable("returned");
    }

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put((String) kv[i], kv[i + 1]);
        }
        return out;
    }

    @Test
    void eachStepRunsOneCommandLineQuotedForSh() {
        call(
                "imagegateImport",
                args(
                        "source",
                        "docker.io/library/alpine:3.20",
                        "target",
                        "registry.example.com/base/alpine:3.20",
                        "platforms",
                        List.of("linux/amd64", "linux/arm64/v8"),
                        "force",
                        true,
                        "parallel",
                        4,
                        "chunkSize",
                        "64m"));
        call(
                "imagegateScan",
                args(
                        "image",
                        "registry.example.com/base/alpine:3.20",
                        "policy",
                        "ci/policy file.yaml",
                        "reportDir",
                        "reports",
                        "severities",
                        List.of("HIGH", "CRITICAL"),
                        "skipDbUpdate",
                        false,
                        "unstable",
                        true));
        call(
                "imagegateVet",
                args(
                        "source",
                        "alpine:3.20",
                        "map",
                        List.of("=registry.example.com/mirror"),
                        "quarantine",
                        "q",
                        "insecureRegistries",
                        List.of("registry.example.com:5000"),
                        "anonymousRegistries",
                        List.of("docker.io"),
                        "caFile",
                        "certs/ca.pem"));
        call(
                "imagegateRewrite",
                args(
                        "files",
                        List.of("Dockerfile", "it's/Dockerfile"),
                        "map",
                        List.of("=registry.example.com/mirror"),
                        "pin",
                        true,
                        "check",
                        true,
                        "buildArgs",
                        List.of("JAVA_VERSION=21")));
        call(
                "imagegateGate",
                args(
                        "files",
                        List.of("**/Dockerfile"),
                        "trusted",
                        List.of("registry.example.com/base"),
                        "requireVetted",
                        true,
                        "buildArgs",
                        List.of("BASE=alpine:3.20", "NOTE=a b")));
        call(
                "imagegateUpdate",
                args(
                        "files",
                        List.of("."),
                        "trusted",
                        List.of("registry.example.com/base"),
                        "verifyKeys",
                        List.of("keys/org.pub"),
                        "summary",
                        "update.md",
                        "commit",
                        true,
                        "branch",
                        "imagegate/base images",
                        "renovateDatasource",
                        "renovate/{repository}.json"));

        assertThat(log.commands)
                .containsExactly(
                        "imagegate import --json --platform linux/amd64 --platform linux/arm64/v8 --force --parallel 4 --chunk-size 64m"
                                + " -- docker.io/library/alpine:3.20 registry.example.com/base/alpine:3.20",
                        "imagegate scan --json --policy 'ci/policy file.yaml' --report-dir reports --severity HIGH --severity CRITICAL"
                                + " -- registry.example.com/base/alpine:3.20",
                        "imagegate vet --json --map =registry.example.com/mirror --quarantine q --insecure-registry registry.example.com:5000"
                                + " --anonymous docker.io --ca-file certs/ca.pem -- alpine:3.20",
                        "imagegate rewrite --json --map =registry.example.com/mirror --pin --check --build-arg JAVA_VERSION=21"
                                + " -- Dockerfile 'it'\\''s/Dockerfile'",
                        "imagegate gate --json --trusted registry.example.com/base --build-arg BASE=alpine:3.20 --build-arg 'NOTE=a b' --require-vetted"
                                + " -- '**/Dockerfile'",
                        "imagegate update --json --trusted registry.example.com/base --verify-key keys/org.pub --summary update.md"
                                + " --commit --branch 'imagegate/base images' --renovate-datasource 'renovate/{repository}.json' -- .");
        assertThat(Pipeline.result()).isEqualTo("SUCCESS");
    }

    @Test
    void syncRunsOneShardOfTheFileAndWritesItsSummary() {
        log.store.put("trivy-token", List.of("t0ken-Secret"));
        call(
                "imagegateSync",
                args(
                        "file",
                        "ci/sync.yaml",
                        "shard",
                        "2/4",
                        "summaryJson",
                        "summary-2.json",
                        "rescanOlderThan",
                        "24h",
                        "parallel",
                        2,
                        "trivyServer",
                        "http://trivy:4954",
                        "trivyServerCredentialsId",
                        "trivy-token",
                        "unstable",
                        true));
        call("imagegateSync", args("file", "sync.yaml"));
        assertThat(log.commands)
                .containsExactly(
                        "imagegate sync --json --shard 2/4 --summary-json summary-2.json --rescan-older-than 24h --parallel 2"
                                + " --trivy-server http://trivy:4954 -- ci/sync.yaml",
                        "imagegate sync --json -- sync.yaml");
        // the server's token only in the environment
        assertThat(log.commandEnvironments.get(0))
                .containsEntry("IMAGEGATE_TRIVY_TOKEN", "t0ken-Secret");
        assertThat(Pipeline.result()).isEqualTo("SUCCESS");

        // a policy failure marks the build UNSTABLE with unstable: true, and the map says so
        setUpFresh();
        log.sh = (command, env) -> 1;
        @SuppressWarnings("unchecked")
        Map<String, Object> failed =
                (Map<String, Object>)
                        call(
                                "imagegateSync",
                                args("file", "sync.yaml", "shard", "0/2", "unstable", true));
        assertThat(failed).containsEntry("outcome", "POLICY_FAILED").containsEntry("exitCode", 1);
        assertThat(Pipeline.result()).isEqualTo("UNSTABLE");

        setUpFresh();
        call("imagegateSync", args("shard", "0/2"));
        assertThat(log.text()).contains("ERROR: imagegateSync: file is required");
        assertThat(log.commands).isEmpty();
    }

    @Test
    void theCliIsTheOneTheAgentNames() {
        getBinding()
                .setVariable(
                        "env",
                        new LinkedHashMap<>(
                                Map.of("IMAGEGATE_CLI", "/opt/image gate/bin/imagegate")));
        call("imagegateScan", args("image", "alpine"));
        assertThat(log.commands)
                .containsExactly("'/opt/image gate/bin/imagegate' scan --json -- alpine");
    }

    @Test
    void credentialsReachTheCliThroughTheEnvironmentOnly() {
        log.store.put("hub", List.of("hub-user", "hub-Secret-1"));
        log.store.put("push", List.of("push-user", "push-Secret-2"));
        log.store.put("trivy", List.of("trivy-Token-3"));
        call(
                "imagegateVet",
                args(
                        "source",
                        "alpine:3.20",
                        "target",
                        "registry.example.com/base/alpine:3.20",
                        "sourceCredentialsId",
                        "docker.io=hub",
                        "targetCredentialsId",
                        "registry.example.com=push",
                        "registryCredentials",
                        List.of("mirror.example.com:5000=push"),
                        "trivyServer",
                        "https://trivy.example.com",
                        "trivyServerCredentialsId",
                        "trivy"));

        // every credential is bound to its registry on the command line: the CLI sends it nowhere
        // else
        assertThat(log.commands)
                .containsExactly(
                        "imagegate vet --json"
                                + " --src-creds-env docker.io=IMAGEGATE_SOURCE_USER:IMAGEGATE_SOURCE_PASSWORD"
                                + " --dst-creds-env registry.example.com=IMAGEGATE_TARGET_USER:IMAGEGATE_TARGET_PASSWORD"
                                + " --trivy-server https://trivy.example.com --creds-env mirror.example.com:5000=IMAGEGATE_REGISTRY_0_USER:IMAGEGATE_REGISTRY_0_PASSWORD"
                                + " -- alpine:3.20 registry.example.com/base/alpine:3.20");
        assertThat(log.commandEnvironments.get(0))
                .containsEntry("IMAGEGATE_SOURCE_USER", "hub-user")
                .containsEntry("IMAGEGATE_SOURCE_PASSWORD", "hub-Secret-1")
                .containsEntry("IMAGEGATE_TARGET_PASSWORD", "push-Secret-2")
                .containsEntry("IMAGEGATE_REGISTRY_0_PASSWORD", "push-Secret-2")
                .containsEntry("IMAGEGATE_TRIVY_TOKEN", "trivy-Token-3");
        assertThat(log.credentialBindings.get(0))
                .extracting(b -> b.get("$class") + ":" + b.get("credentialsId"))
                .containsExactly(
                        "UsernamePasswordMultiBinding:hub",
                        "UsernamePasswordMultiBinding:push",
                        "StringBinding:trivy",
                        "UsernamePasswordMultiBinding:push");
        for (String secret :
                List.of("hub-user", "hub-Secret-1", "push-Secret-2", "trivy-Token-3")) {
            assertThat(log.commands.get(0)).doesNotContain(secret);
            // nothing here masks (Jenkins' withCredentials would): the library itself never prints
            // a value
            assertThat(log.text()).doesNotContain(secret);
        }
    }

    @Test
    void aSigningKeyReachesTheCliAsABoundFileAndItsPasswordThroughTheEnvironmentOnly(
            @org.junit.jupiter.api.io.TempDir Path bin) throws Exception {
        String key =
                "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nS2V5LW1hdGVyaWFsLW9mLXRoZS10ZXN0LW9ubHk=\n"
                        + "-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n";
        log.store.put("org-key", List.of(key));
        log.store.put("org-key-password", List.of("key-Password-4"));
        // sh runs the library's script for real, as Jenkins does (/bin/sh -xe), with what
        // withCredentials bound and a stand-in
        // CLI first on the PATH that reports what it got: the file its --signing-key argument
        // names, and the password's variable
        Path cli = stubCli(bin);
        log.shell = (script, env) -> runSh(script, env, bin);
        call(
                "imagegateVet",
                args(
                        "source",
                        "alpine:3.20",
                        "target",
                        "registry.example.com/base/alpine:3.20",
                        "signingKeyCredentialsId",
                        "org-key",
                        "signingKeyPasswordCredentialsId",
                        "org-key-password"));
        assertThat(Pipeline.result()).as(log.text()).isEqualTo("SUCCESS");
        // the bound copy's path has a space in it (so has many a workspace@tmp): the quoted
        // variable is one argument
        assertThat(log.commandEnvironments.get(0).get("IMAGEGATE_SIGNING_KEY_FILE")).contains(" ");
        List<String> seen = List.of(readFile(bin.resolve("seen-key")));
        assertThat(readFile(bin.resolve("seen-password"))).isEqualTo("key-Password-4");
        assertThat(cli).isExecutable();

        assertThat(log.commands)
                .containsExactly(
                        "imagegate vet --json --signing-key \"$IMAGEGATE_SIGNING_KEY_FILE\""
                                + " -- alpine:3.20 registry.example.com/base/alpine:3.20");
        assertThat(log.credentialBindings.get(0))
                .extracting(
                        b ->
                                b.get("$class")
                                        + ":"
                                        + b.get("credentialsId")
                                        + ":"
                                        + b.get("variable"))
                .containsExactly(
                        "FileBinding:org-key:IMAGEGATE_SIGNING_KEY_FILE",
                        "StringBinding:org-key-password:IMAGEGATE_SIGNING_KEY_PASSWORD");
        assertThat(log.commandEnvironments.get(0))
                .containsEntry("IMAGEGATE_SIGNING_KEY_PASSWORD", "key-Password-4");
        assertThat(seen).containsExactly(key);
        assertThat(log.commands.get(0))
                .doesNotContain("key-Password-4")
                .doesNotContain("S2V5LW1hdGVyaWFs");
        assertThat(log.text()).doesNotContain("key-Password-4").doesNotContain("S2V5LW1hdGVyaWFs");

        // a password without its key is refused before anything runs
        setUpFresh();
        call(
                "imagegateVet",
                args(
                        "source",
                        "alpine:3.20",
                        "target",
                        "r.example/a:1",
                        "signingKeyPasswordCredentialsId",
                        "org-key-password"));
        assertThat(log.text())
                .contains(
                        "ERROR: imagegateVet: a signing key password (signingKeyPasswordCredentialsId) needs the signing"
                                + " key (signingKeyCredentialsId)");
        assertThat(log.commands).isEmpty();
    }

    @Test
    void verifyKeysAreRepeatedVerifyKeyArguments() {
        call(
                "imagegateGate",
                args(
                        "files",
                        List.of("Dockerfile"),
                        "trusted",
                        List.of("registry.example.com/base"),
                        "requireVetted",
                        true,
                        "verifyKeys",
                        List.of("keys/org.pub", "keys/next org.pub")));
        assertThat(log.commands)
                .containsExactly(
                        "imagegate gate --json --trusted registry.example.com/base --require-vetted"
                                + " --verify-key keys/org.pub --verify-key 'keys/next org.pub' -- Dockerfile");
    }

    /**
     * A stand-in {@code imagegate} for a real shell: it keeps the content of the file after {@code
     * --signing-key} and the password variable's value (in files beside it, for the test to read),
     * and prints a passing document.
     */
    private static Path stubCli(Path bin) throws java.io.IOException {
        Path cli = bin.resolve("imagegate");
        java.nio.file.Files.writeString(
                cli,
                """
                #!/bin/sh
                here=$(dirname "$0")
                while [ $# -gt 0 ]; do
                  if [ "$1" = --signing-key ]; then cat -- "$2" > "$here/seen-key"; fi
                  shift
                done
                printf '%s' "$IMAGEGATE_SIGNING_KEY_PASSWORD" > "$here/seen-password"
                printf '{"schemaVersion":1,"command":"vet","outcome":"PASSED"}\n'
                """);
        cli.toFile().setExecutable(true);
        return cli;
    }

    /**
     * sh as Jenkins runs it: {@code /bin/sh -xe}, with the bound variables; the trace and stderr go
     * to the console.
     */
    private static Pipeline.Ran runSh(String script, Map<String, String> bound, Path bin) {
        try {
            ProcessBuilder pb =
                    new ProcessBuilder("/bin/sh", "-xe", "-c", script).directory(bin.toFile());
            pb.environment().keySet().removeIf(k -> !k.equals("PATH"));
            pb.environment().put("PATH", bin + java.io.File.pathSeparator + System.getenv("PATH"));
            pb.environment().putAll(bound);
            pb.redirectError(ProcessBuilder.Redirect.PIPE);
            Process process = pb.start();
            String out =
                    new String(
                            process.getInputStream().readAllBytes(),
                            java.nio.charset.StandardCharsets.UTF_8);
            String err =
                    new String(
                            process.getErrorStream().readAllBytes(),
                            java.nio.charset.StandardCharsets.UTF_8);
            err.lines().forEach(Pipeline.log.console::add);
            return new Pipeline.Ran(process.waitFor(), out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readFile(Path path) {
        return readFile(path.toString());
    }

    private static String readFile(String path) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void exitCodesGoThroughThePluginsTable() {
        // the CLI's exit codes: 0 PASSED, 1 POLICY_FAILED or CHANGES_NEEDED, 2 ERROR (imagegate
        // --help)
        Map<Integer, Outcome> outcomes =
                Map.of(0, Outcome.PASSED, 1, Outcome.POLICY_FAILED, 2, Outcome.ERROR);
        for (String step :
                List.of(
                        "imagegateScan",
                        "imagegateVet",
                        "imagegateRewrite",
                        "imagegateGate",
                        "imagegateUpdate")) {
            for (int status : List.of(0, 1, 2)) {
                for (boolean unstable : List.of(false, true)) {
                    setUpFresh();
                    log.sh = (command, env) -> status;
                    Map<String, Object> args =
                            step.equals("imagegateRewrite")
                                    ? args(
                                            "files",
                                            List.of("Dockerfile"),
                                            "map",
                                            List.of("=r.example/m"))
                                    : step.equals("imagegateGate") || step.equals("imagegateUpdate")
                                            ? args(
                                                    "files",
                                                    List.of("Dockerfile"),
                                                    "trusted",
                                                    List.of("r.example"))
                                            : step.equals("imagegateScan")
                                                    ? args("image", "alpine")
                                                    : args(
                                                            "source",
                                                            "alpine",
                                                            "target",
                                                            "r.example/a:1");
                    args.put("unstable", unstable);
                    call(step, args);
                    Outcome outcome =
                            status == 1
                                            && (step.equals("imagegateRewrite")
                                                    || step.equals("imagegateUpdate"))
                                    ? Outcome.CHANGES_NEEDED
                                    : outcomes.get(status);
                    assertThat(Pipeline.result())
                            .as(step + " exit " + status + " unstable " + unstable)
                            .isEqualTo(BuildResult.of(outcome, unstable).name());
                    if (status != 0) {
                        assertThat(log.text()).contains(step + ": ");
                    }
                }
            }
        }
    }

    private void setUpFresh() {
        log = Pipeline.reset();
    }

    @Test
    void aFailedStepStopsThePipelineAndReturnsNothing() {
        log.sh = (command, env) -> 1;
        call(
                "imagegateGate",
                args("files", List.of("Dockerfile"), "trusted", List.of("r.example")));
        assertThat(Pipeline.result()).isEqualTo("FAILURE");
        assertThat(getBinding().getVariable("returned")).isNull();
        assertThat(log.text())
                .contains("ERROR: imagegateGate: the policy said no (see the reasons above)");

        setUpFresh();
        log.sh = (command, env) -> 1;
        Object returned = call("imagegateScan", args("image", "alpine", "unstable", true));
        assertThat(Pipeline.result()).isEqualTo("UNSTABLE");
        assertThat(returned)
                .isEqualTo(Map.of("outcome", "POLICY_FAILED", "result", "UNSTABLE", "exitCode", 1));
    }

    /**
     * The CLI's document for a result, as {@code imagegate COMMAND --json} prints it (Output: the
     * envelope, then the values).
     */
    private static String document(String command, OperationResult result) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("schemaVersion", ResultValues.SCHEMA_VERSION);
        document.put("command", command);
        document.putAll(VALUES.of(result));
        return ResultValues.json(document) + "\n";
    }

    private static final ResultValues VALUES = ResultValues.in(Vocabulary.NEUTRAL, p -> p);

    /**
     * The plugin's map for a result (Results: the outcome, the build result, then the shared
     * values), and the exit code.
     */
    private static Map<String, Object> pluginMap(
            OperationResult result, BuildResult buildResult, int exitCode) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("outcome", result.outcome().name());
        values.put("result", buildResult.name());
        // through JSON and back, as the step reads it: numbers and lists as JSON gives them
        values.putAll(Pipeline.parse(ResultValues.json(VALUES.of(result))));
        values.put("exitCode", exitCode);
        return values;
    }

    @Test
    void aStepReturnsThePluginsMapFromTheClisDocument() {
        String image = "registry.example.com/base/alpine";
        ScanResult scan =
                new ScanResult(
                        Outcome.POLICY_FAILED,
                        Optional.empty(),
                        image + ":3.22",
                        "sha256:" + "d".repeat(64),
                        List.of(
                                new VerdictSummary(
                                        image + "@sha256:" + "a".repeat(64),
                                        "linux/amd64",
                                        "FAIL",
                                        Map.of("CRITICAL", 1, "LOW", 2),
                                        List.of("1 finding of severity HIGH or above"),
                                        List.of(
                                                new FindingSummary(
                                                        "CVE-2099-0001",
                                                        "openssl",
                                                        "3.5.0-r0",
                                                        "3.5.1-r0",
                                                        "CRITICAL",
                                                        "failing",
                                                        "")),
                                        "sha256:" + "c".repeat(64),
                                        "trivy 0.74.0",
                                        "",
                                        "2099-01-01T00:00:00Z")),
                        List.of("reports/imagegate-scan.json", "reports/imagegate-scan.sarif"),
                        "trivy 0.74.0",
                        List.of());
        log.sh = (command, env) -> 1;
        log.stdout = (command, status) -> document("scan", scan);
        Object returned =
                call(
                        "imagegateScan",
                        args("image", image + ":3.22", "reportDir", "reports", "unstable", true));

        assertThat(Pipeline.result()).isEqualTo("UNSTABLE");
        Map<String, Object> expected = pluginMap(scan, BuildResult.UNSTABLE, 1);
        assertThat(returned).isEqualTo(expected);
        // the plugin's keys (Groovy's JSON parsers sort them: the order is not kept)
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) returned;
        assertThat(map.keySet())
                .containsExactlyInAnyOrder(
                        "outcome",
                        "result",
                        "image",
                        "digest",
                        "verdict",
                        "counts",
                        "reasons",
                        "verdicts",
                        "scanner",
                        "reports",
                        "exitCode");
        assertThat(map.get("reasons"))
                .isEqualTo(List.of("linux/amd64: 1 finding of severity HIGH or above"));
        assertThat(map.get("counts"))
                .isEqualTo(Map.of("CRITICAL", 1, "HIGH", 0, "MEDIUM", 0, "LOW", 2, "UNKNOWN", 0));
        // plain maps and lists, which CPS persists
        assertThat(map).isInstanceOf(LinkedHashMap.class);
        assertThat(map.get("verdicts")).isInstanceOf(java.util.ArrayList.class);
        assertThat(log.text()).contains("WARNING: imagegateScan: the policy said no");

        setUpFresh();
        GateResult gate =
                new GateResult(Outcome.PASSED, Optional.empty(), 2, true, List.of(), true);
        log.stdout = (command, status) -> document("gate", gate);
        Object passed =
                call(
                        "imagegateGate",
                        args(
                                "files",
                                List.of("Dockerfile"),
                                "trusted",
                                List.of("registry.example.com/base")));
        assertThat(Pipeline.result()).isEqualTo("SUCCESS");
        assertThat(passed).isEqualTo(pluginMap(gate, BuildResult.SUCCESS, 0));
        assertThat(((Map<?, ?>) passed).get("checked")).isEqualTo(2);
    }

    @Test
    void anErrorFailsTheBuildWithTheClisMessage() {
        log.sh = (command, env) -> 2;
        call("imagegateScan", args("image", "alpine"));
        assertThat(Pipeline.result()).isEqualTo("FAILURE");
        assertThat(log.text())
                .contains(
                        "ERROR: imagegateScan: the registry did not answer (a transient failure: running the step again may"
                                + " succeed)");
    }

    /**
     * failOnError against the plugin's table: every error kind the CLI's document can name, with
     * and without it.
     */
    @Test
    void failOnErrorFalseMarksRegistryAndScannerErrorsUnstableAsThePluginDoes() {
        for (ErrorKind kind : ErrorKind.values()) {
            for (Boolean failOnError : java.util.Arrays.asList(null, true, false)) {
                setUpFresh();
                log.sh = (command, env) -> 2;
                log.stdout =
                        (command, status) ->
                                "{\"schemaVersion\":1,\"command\":\"scan\",\"outcome\":\"ERROR\",\"error\":\"it broke\","
                                        + "\"errorKind\":\""
                                        + kind
                                        + "\",\"retryable\":false}\n";
                Map<String, Object> args = args("image", "alpine");
                if (failOnError != null) {
                    args.put("failOnError", failOnError);
                }
                Object returned = call("imagegateScan", args);
                BuildResult expected =
                        BuildResult.of(
                                Outcome.ERROR, kind, false, failOnError == null || failOnError);
                assertThat(Pipeline.result())
                        .as(kind + " failOnError " + failOnError)
                        .isEqualTo(expected.name());
                if (expected == BuildResult.UNSTABLE) {
                    // the step returns the error's map, and the build goes on
                    assertThat(returned)
                            .isEqualTo(
                                    Map.of(
                                            "outcome",
                                            "ERROR",
                                            "result",
                                            "UNSTABLE",
                                            "error",
                                            "it broke",
                                            "errorKind",
                                            kind.name(),
                                            "retryable",
                                            false,
                                            "exitCode",
                                            2));
                    assertThat(log.text())
                            .contains(
                                    "WARNING: imagegateScan: it broke (failOnError: false: marked UNSTABLE, nothing was"
                                            + " checked)");
                } else {
                    assertThat(log.text()).contains("ERROR: imagegateScan: it broke");
                }
            }
        }
        // a result the library cannot trust says nothing it can vouch for, not even what went
        // wrong: it always fails
        setUpFresh();
        log.sh = (command, env) -> 2;
        log.stdout = (command, status) -> "";
        call(
                "imagegateVet",
                args("source", "alpine", "target", "r.example/a:1", "failOnError", false));
        assertThat(Pipeline.result()).isEqualTo("FAILURE");
        // and, as every boolean argument, a String is refused before anything runs
        setUpFresh();
        call(
                "imagegateImport",
                args("source", "alpine", "target", "r.example/a:1", "failOnError", "false"));
        assertThat(log.text())
                .contains(
                        "ERROR: imagegateImport: failOnError must be true or false (a Boolean), not the String 'false'");
    }

    @Test
    void aResultThatCannotBeTrustedIsAnError() {
        // each: the CLI's exit code, its stdout, and what the library says
        Object[][] cases = {
            {0, "", "imagegate printed no result (exit code 0; see the log above)"},
            {127, "", "imagegate printed no result (exit code 127; see the log above)"},
            {0, "not json\n", "imagegate printed no result (exit code 0; see the log above)"},
            {
                1,
                "{\"schemaVersion\":1,\"command\":\"scan\",\"outcome\":\"PASSED\"}\n",
                "imagegate printed the outcome PASSED but exited with 1"
            },
            {
                0,
                "{\"schemaVersion\":2,\"command\":\"scan\",\"outcome\":\"PASSED\"}\n",
                "imagegate printed a result of schema version 2; this library reads version 1"
            },
            {
                0,
                "{\"schemaVersion\":1,\"command\":\"scan\",\"outcome\":\"FINE\"}\n",
                "imagegate printed a result without a known outcome (FINE)"
            },
        };
        for (Object[] c : cases) {
            setUpFresh();
            log.sh = (command, env) -> (Integer) c[0];
            log.stdout = (command, status) -> (String) c[1];
            call("imagegateScan", args("image", "alpine", "unstable", true));
            assertThat(Pipeline.result()).as(c[2].toString()).isEqualTo("FAILURE");
            assertThat(log.text()).contains("ERROR: imagegateScan: " + c[2]);
        }
    }

    @Test
    void theExitCodeReachesTheLibraryThroughTheScriptsLastLine() {
        call("imagegateScan", args("image", "alpine"));
        assertThat(log.scripts)
                .containsExactly(
                        "imagegate scan --json -- alpine || printf '\\nimagegate-exit-code=%s\\n' \"$?\"");
    }

    @Test
    void unknownMissingOrMalformedArgumentsFailBeforeAnythingRuns() {
        call("imagegateScan", args("image", "alpine", "severity", "HIGH"));
        assertThat(log.text())
                .contains(
                        "ERROR: imagegateScan: unknown argument 'severity'; imagegateScan takes anonymousRegistries, caFile, cacheDir,")
                .contains(" severities,");
        setUpFresh();
        call("imagegateGate", args("files", List.of("Dockerfile")));
        assertThat(log.text()).contains("ERROR: imagegateGate: trusted is required");
        setUpFresh();
        call(
                "imagegateVet",
                args(
                        "source",
                        "alpine",
                        "target",
                        "r.example/a:1",
                        "sourceCredentialsId",
                        "dockerhub"));
        assertThat(log.text())
                .contains(
                        "ERROR: imagegateVet: sourceCredentialsId must name the registry its credentials are for:"
                                + " REGISTRY=…, e.g. docker.io=dockerhub (as registryCredentials does)");
        setUpFresh();
        call(
                "imagegateScan",
                args("image", "alpine", "registryCredentials", List.of("registry.example.com")));
        assertThat(log.text())
                .contains(
                        "ERROR: imagegateScan: \"registry.example.com\" (registryCredentials) must be REGISTRY=CREDENTIALS_ID");
        assertThat(log.commands).isEmpty();
        assertThat(Pipeline.result()).isEqualTo("FAILURE");
    }

    @Test
    void aBooleanArgumentThatIsNotABooleanFailsBeforeAnythingRuns() {
        // Groovy truth would read the String 'false' as true: a flag the caller meant off would be
        // on, and unstable: 'false'
        // would mark a policy failure UNSTABLE instead of failing the build
        call("imagegateImport", args("source", "alpine", "force", "false"));
        assertThat(log.text())
                .contains(
                        "ERROR: imagegateImport: force must be true or false (a Boolean), not the String 'false'");
        assertThat(log.commands).isEmpty();
        assertThat(Pipeline.result()).isEqualTo("FAILURE");

        setUpFresh();
        log.sh = (command, env) -> 1;
        call("imagegateScan", args("image", "alpine", "unstable", "false"));
        assertThat(log.text())
                .contains(
                        "ERROR: imagegateScan: unstable must be true or false (a Boolean), not the String 'false'");
        assertThat(log.commands).isEmpty();
        assertThat(Pipeline.result()).isEqualTo("FAILURE");
    }

    @Test
    void everyStepTakesExactlyThePluginsArguments() {
        for (StepKind kind : StepKind.values()) {
            // every argument of the plugin's step at once: none is unknown, and the step runs
            setUpFresh();
            Map<String, Object> args = new LinkedHashMap<>();
            for (ParameterModel.Parameter p : ParameterModel.of(kind)) {
                args.put(
                        p.name(),
                        p.name().equals("registryCredentials")
                                ? List.of("r.example=id")
                                : p.name().equals("sourceCredentialsId")
                                                || p.name().equals("targetCredentialsId")
                                        ? "r.example=id"
                                        : sample(p));
            }
            log.store.put("id", List.of("u", "p"));
            log.store.put("x", List.of("u", "p"));
            call(kind.functionName(), args);
            assertThat(log.text()).as(kind.functionName()).doesNotContain("ERROR");
            assertThat(log.commands).as(kind.functionName()).hasSize(1);

            // and nothing else
            setUpFresh();
            call(kind.functionName(), args("notAnArgument", "x"));
            assertThat(log.text())
                    .contains(
                            "unknown argument 'notAnArgument'; "
                                    + kind.functionName()
                                    + " takes "
                                    + String.join(
                                            ", ",
                                            ParameterModel.of(kind).stream()
                                                    .map(ParameterModel.Parameter::name)
                                                    .sorted()
                                                    .toList()));
        }
    }

    private static Object sample(ParameterModel.Parameter p) {
        return p.isList() ? List.of("x") : p.isBoolean() ? true : p.isInteger() ? 3 : "x";
    }
}
