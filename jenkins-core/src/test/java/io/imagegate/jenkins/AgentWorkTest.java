package io.imagegate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.Outcome;
import io.imagegate.oci.Platform;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent-side work against the real registry and the real Trivy: results, the build result
 * table, masking, credentials.
 */
@NeedsComponents
class AgentWorkTest {
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension basic = RegistryExtension.htpasswd();

    static TestImages.Image clean;

    @TempDir Path workspace;

    final List<String> console = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void images() {
        Platform amd64 = Platform.parse("linux/amd64");
        clean =
                TestImages.alpine(
                        amd64,
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r30", "busybox"}));
        ImagePusher pusher = new ImagePusher(registry);
        pusher.push("public/clean", "1", clean);
        pusher.push(
                "public/vulnerable",
                "1",
                TestImages.alpine(
                        amd64, List.<String[]>of(new String[] {"openssl", "3.5.0-r0", "openssl"})));
    }

    private StepResult run(StepParameters parameters, CredentialValue... credentials)
            throws IOException {
        Path home = io.imagegate.testing.TempDirs.create("imagegate-jenkins-home-");
        AgentRequest request =
                new AgentRequest(
                        parameters,
                        CredentialValues.of(List.of(credentials)),
                        Map.of("PATH", System.getenv("PATH")),
                        // as Jenkins names it (workspace@tmp), in a directory deleted at exit:
                        // beside the @TempDir it would stay behind
                        io.imagegate.testing.TempDirs.create("imagegate-jenkins-tmp-")
                                .resolve(workspace.getFileName() + "@tmp")
                                .toString());
        return AgentWork.run(request, workspace, home.toString(), console::add);
    }

    private static String ref(RegistryExtension r, String path) {
        return r.hostPort() + "/" + path;
    }

    private static <P extends ScanningParameters> P offline(P p) {
        p.setCacheDir(FixtureVulnerabilityDb.cacheDir().toString());
        p.setSkipDbUpdate(true);
        p.setSkipJavaDbUpdate(true);
        p.setOfflineScan(true);
        return p;
    }

    @Test
    void importReturnsDigestsAndUsesTheCredentialsItWasGiven() throws IOException {
        ImportParameters p = new ImportParameters(ref(registry, "public/clean:1"));
        p.setTarget(ref(basic, "mirror/clean:1"));
        p.setTargetCredentialsId(basic.hostPort() + "=push");
        StepResult result =
                run(
                        p,
                        CredentialValue.usernamePassword(
                                "push",
                                RegistryExtension.PUSH_USER,
                                RegistryExtension.PUSH_PASSWORD,
                                true));

        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.PASSED);
        assertThat(result.result()).isEqualTo(BuildResult.SUCCESS);
        assertThat(result.values())
                .containsEntry("digest", clean.digest().toString())
                .containsEntry("upToDate", false)
                .containsEntry("target", ref(basic, "mirror/clean:1") + "@" + clean.digest())
                .containsEntry("result", "SUCCESS");
        assertThat(result.row().getCells())
                .containsExactly(
                        "imagegateImport",
                        ref(basic, "mirror/clean:1") + "@" + clean.digest(),
                        clean.digest().toString(),
                        "",
                        "SUCCESS",
                        "imported: 2 blob(s) copied");
        assertThat(console).anyMatch(l -> l.startsWith("imported " + ref(basic, "mirror/clean:1")));
        assertThat(String.join("\n", console))
                .doesNotContain(RegistryExtension.PUSH_PASSWORD)
                .doesNotContain(RegistryExtension.PUSH_USER);

        // without them the registry refuses, and the step says which parameter to set
        ImportParameters anonymous = new ImportParameters(ref(registry, "public/clean:1"));
        anonymous.setTarget(ref(basic, "mirror/other:1"));
        StepResult refused = run(anonymous);
        assertThat(refused.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(refused.errorKind()).contains("AUTHENTICATION");
        assertThat(refused.result()).isEqualTo(BuildResult.FAILURE);
        assertThat(refused.message()).startsWith("imagegateImport: ");
    }

    /**
     * The secrets sweep through the steps: each with the htpasswd registry's credentials, nothing
     * of them anywhere.
     */
    @Test
    void noStepLetsTheRegistryCredentialsOut() throws IOException {
        CredentialValue push =
                CredentialValue.usernamePassword(
                        "push", RegistryExtension.PUSH_USER, RegistryExtension.PUSH_PASSWORD, true);
        List<String> pushCredentials = List.of(basic.hostPort() + "=push");
        Files.writeString(
                workspace.resolve("Dockerfile"), "FROM " + ref(registry, "public/clean:1") + "\n");
        VetParameters vet = offline(new VetParameters(ref(registry, "public/clean:1")));
        vet.setTarget(ref(basic, "trusted/clean:1"));
        vet.setTargetCredentialsId(basic.hostPort() + "=push");
        vet.setReportDir("reports/vet");
        ScanParameters scan = offline(new ScanParameters(ref(basic, "trusted/clean:1")));
        scan.setRegistryCredentials(pushCredentials);
        scan.setReportDir("reports/scan");
        RewriteParameters rewrite =
                new RewriteParameters(
                        List.of("Dockerfile"),
                        List.of(registry.hostPort() + "/public=" + basic.hostPort() + "/trusted"));
        rewrite.setPin(true);
        rewrite.setRegistryCredentials(pushCredentials);
        GateParameters gate =
                new GateParameters(List.of("Dockerfile"), List.of(basic.hostPort() + "/trusted"));
        gate.setRegistryCredentials(pushCredentials);

        StringBuilder everything = new StringBuilder();
        for (StepParameters p : List.<StepParameters>of(vet, scan, rewrite, gate)) {
            StepResult result = run(p, push);
            assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.PASSED);
            everything
                    .append(result.message())
                    .append(result.values())
                    .append(result.row())
                    .append(result.errorKind());
        }
        assertThat(Files.readString(workspace.resolve("Dockerfile")))
                .isEqualTo("FROM " + ref(basic, "trusted/clean:1") + "@" + clean.digest() + "\n");
        everything.append(String.join("\n", console));
        assertThat(workspace.resolve("reports/vet"))
                .as("the reports are searched too")
                .isDirectoryContaining("glob:**.json");
        try (java.util.stream.Stream<Path> files = Files.walk(workspace)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                everything.append(Files.readString(file));
            }
        }
        assertThat(everything)
                .doesNotContain(RegistryExtension.PUSH_PASSWORD)
                .doesNotContain(RegistryExtension.PUSH_USER)
                .doesNotContain(
                        java.util.Base64.getEncoder()
                                .encodeToString(
                                        (RegistryExtension.PUSH_USER
                                                        + ":"
                                                        + RegistryExtension.PUSH_PASSWORD)
                                                .getBytes(
                                                        java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void secretsAreMaskedInTheLogTheMessageTheMapAndTheSummary() throws IOException {
        // the secret shows up in every line because the repository is named after it
        String secret = "s3cret-repo-name";
        ImportParameters p = new ImportParameters(ref(registry, "public/clean:1"));
        p.setTarget(ref(registry, secret + "/app:1"));
        p.setRegistryCredentials(List.of(registry.hostPort() + "=token"));
        StepResult result = run(p, CredentialValue.secretText("token", secret));

        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.PASSED);
        String everything =
                String.join("\n", console) + result.message() + result.values() + result.row();
        assertThat(everything)
                .doesNotContain(secret)
                .contains(ref(registry, SecretMasker.MASK + "/app:1"));
        assertThat(result.values().get("target"))
                .isEqualTo(ref(registry, "****/app:1@" + clean.digest()));
    }

    @Test
    void aPolicyFailureFailsTheBuildOrWithUnstableMarksItUnstable() throws IOException {
        ScanParameters p = offline(new ScanParameters(ref(registry, "public/vulnerable:1")));
        p.setReportDir("reports/scan");
        StepResult failed = run(p);

        assertThat(failed.outcome()).as(failed.message()).isEqualTo(Outcome.POLICY_FAILED);
        assertThat(failed.result()).isEqualTo(BuildResult.FAILURE);
        assertThat(failed.message())
                .startsWith("imagegateScan: " + ref(registry, "public/vulnerable:1") + "@sha256:")
                .contains(": FAIL (");
        assertThat(failed.values())
                .containsEntry("verdict", "FAIL")
                .containsEntry("outcome", "POLICY_FAILED");
        assertThat(failed.values().get("counts"))
                .isEqualTo(Map.of("CRITICAL", 1, "HIGH", 0, "MEDIUM", 1, "LOW", 0, "UNKNOWN", 0));
        @SuppressWarnings("unchecked")
        Map<String, Object> verdict =
                ((List<Map<String, Object>>) failed.values().get("verdicts")).get(0);
        assertThat(verdict.get("failing"))
                .isEqualTo(List.of("CRITICAL CVE-2099-0001 openssl 3.5.0-r0"));
        // named after the image, so another image's scan into reports/scan keeps its own; the
        // stylesheet archived, not linked
        String stem = "reports/scan/vulnerable_1-"; // ReportName: last segment, tag, hash
        assertThat(failed.reports())
                .hasSize(6)
                .allMatch(r -> Files.isRegularFile(workspace.resolve(r)))
                .anyMatch(r -> r.startsWith(stem) && r.endsWith(".json"))
                .anyMatch(r -> r.startsWith(stem) && r.endsWith(".sarif"))
                .anyMatch(r -> r.startsWith(stem) && r.endsWith(".trivy.json"))
                .contains("reports/scan/imagegate-report.css");
        assertThat(failed.row().getReports())
                .isEqualTo(failed.reports().stream().filter(r -> !r.endsWith(".css")).toList());
        assertThat(failed.row().getVerdict()).isEqualTo("FAIL");
        assertThat(console)
                .contains("report: " + failed.reports().get(0))
                .anyMatch(l -> l.startsWith("FAIL "));

        Path outside = io.imagegate.testing.TempDirs.create("imagegate-reports-");
        p.setReportDir(outside.toString());
        StepResult elsewhere = run(p);
        assertThat(elsewhere.reports())
                .as("only reports inside the workspace are archived")
                .isEmpty();
        assertThat(elsewhere.values().get("reports").toString())
                .contains(
                        outside.resolve(Path.of(failed.reports().get(0)).getFileName()).toString());

        p.setUnstable(true);
        StepResult unstable = run(p);
        assertThat(unstable.result()).isEqualTo(BuildResult.UNSTABLE);
        assertThat(unstable.values()).containsEntry("result", "UNSTABLE");
        assertThat(unstable.row().getResult()).isEqualTo("UNSTABLE");
    }

    /**
     * failOnError: false against the real registry: an image that is not there and a registry that
     * refuses the credentials mark the build UNSTABLE, with the error in the map and the row; by
     * default they fail it; a bad argument fails it anyway.
     */
    @Test
    void failOnErrorFalseMarksRegistryErrorsUnstableAndBadArgumentsStillFail() throws IOException {
        ScanParameters missing = offline(new ScanParameters(ref(registry, "public/missing:1")));
        StepResult failed = run(missing);
        assertThat(failed.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(failed.errorKind()).contains("NOT_FOUND");
        assertThat(failed.result()).as("the default").isEqualTo(BuildResult.FAILURE);

        missing.setFailOnError(false);
        StepResult tolerated = run(missing);
        assertThat(tolerated.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(tolerated.result()).isEqualTo(BuildResult.UNSTABLE);
        assertThat(tolerated.message())
                .startsWith("imagegateScan: ")
                .endsWith("(failOnError: false: marked UNSTABLE, nothing was checked)");
        assertThat(tolerated.values())
                .containsEntry("outcome", "ERROR")
                .containsEntry("result", "UNSTABLE")
                .containsEntry("errorKind", "NOT_FOUND")
                .doesNotContainKey("verdict");
        assertThat(tolerated.row().getVerdict()).as("never a verdict").isEqualTo("ERROR");
        assertThat(tolerated.row().getResult()).isEqualTo("UNSTABLE");

        ImportParameters refused = new ImportParameters(ref(registry, "public/clean:1"));
        refused.setTarget(ref(basic, "mirror/refused:1"));
        refused.setFailOnError(false);
        StepResult anonymous = run(refused);
        assertThat(anonymous.errorKind()).contains("AUTHENTICATION");
        assertThat(anonymous.result()).isEqualTo(BuildResult.UNSTABLE);

        // a bad argument is the Jenkinsfile's mistake: it would fail every build, so it is never
        // hidden as a warning
        ImportParameters bad = new ImportParameters(ref(registry, "public/clean:1"));
        bad.setFailOnError(false);
        StepResult usage = run(bad);
        assertThat(usage.errorKind()).contains("USAGE");
        assertThat(usage.result()).isEqualTo(BuildResult.FAILURE);
    }

    @Test
    void theGateFailsWithItsViolationsAndTheFixInTheStepsWords() throws IOException {
        Files.writeString(workspace.resolve("Dockerfile"), "FROM alpine:3.20\n");
        GateParameters p =
                new GateParameters(
                        List.of("Dockerfile"), List.of(registry.hostPort() + "/trusted"));
        StepResult result = run(p);

        assertThat(result.outcome()).isEqualTo(Outcome.POLICY_FAILED);
        assertThat(result.message())
                .startsWith(
                        "imagegateGate: 1 violation(s) in 1 image reference(s)\n  Dockerfile:1: alpine:3.20: ")
                .contains(
                        "imagegateVet(source: 'docker.io/library/alpine:3.20', target: '"
                                + registry.hostPort()
                                + "/trusted/docker.io/library/alpine:3.20')")
                .contains(
                        "imagegateRewrite(map: ['="
                                + registry.hostPort()
                                + "/trusted'], files: ['Dockerfile'], pin: true)");
        @SuppressWarnings("unchecked")
        Map<String, Object> violation =
                ((List<Map<String, Object>>) result.values().get("violations")).get(0);
        assertThat(violation)
                .containsEntry("file", "Dockerfile")
                .containsEntry("line", 1)
                .containsEntry("rule", "untrusted");
        assertThat(result.row().getCells())
                .containsExactly(
                        "imagegateGate",
                        "Dockerfile",
                        "",
                        "FAIL",
                        "FAILURE",
                        "1 violation(s) in 1 image reference(s)");
    }

    @Test
    void rewriteInCheckModeNeedsChangesAndOtherwiseRewrites() throws IOException {
        Files.writeString(workspace.resolve("Dockerfile"), "FROM alpine:3.20\n");
        RewriteParameters p =
                new RewriteParameters(
                        List.of("Dockerfile"), List.of("=" + registry.hostPort() + "/mirror"));
        p.setCheck(true);
        p.setUnstable(true);
        StepResult check = run(p);
        assertThat(check.outcome()).isEqualTo(Outcome.CHANGES_NEEDED);
        assertThat(check.result()).isEqualTo(BuildResult.UNSTABLE);
        assertThat(check.message())
                .isEqualTo(
                        "imagegateRewrite: 1 Dockerfile(s) need rewriting: Dockerfile (run imagegateRewrite without"
                                + " check: true)");
        assertThat(Files.readString(workspace.resolve("Dockerfile")))
                .isEqualTo("FROM alpine:3.20\n");

        p.setCheck(false);
        StepResult rewritten = run(p);
        assertThat(rewritten.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(rewritten.values()).containsEntry("changed", true);
        assertThat(Files.readString(workspace.resolve("Dockerfile")))
                .isEqualTo(
                        "FROM " + registry.hostPort() + "/mirror/docker.io/library/alpine:3.20\n");
    }

    /**
     * The trusted tag moves to a newly vetted digest: the check needs changes, the update re-pins,
     * commits on the branch asked for, and returns the changed files, the branch and the summary.
     */
    @Test
    void updateChecksThenRepinsAndReturnsChangedFilesBranchAndSummary() throws Exception {
        TestImages.Image newer =
                TestImages.alpine(
                        Platform.parse("linux/amd64"),
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r31", "busybox"}));
        ImagePusher pusher = new ImagePusher(registry);
        pusher.push("upstream/moving", "1", clean);
        VetParameters vet = offline(new VetParameters(ref(registry, "upstream/moving:1")));
        vet.setTarget(ref(registry, "trusted/moving:1"));
        vet.setForce(true);
        vet.setReportDir("reports");
        assertThat(run(vet).outcome()).isEqualTo(Outcome.PASSED);
        String old = ref(registry, "trusted/moving:1") + "@" + clean.digest();
        Files.writeString(workspace.resolve("Dockerfile"), "FROM " + old + "\nRUN true\n");
        git("init", "-q", "-b", "main");
        git("add", "Dockerfile");
        git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "base");

        pusher.push("upstream/moving", "1", newer);
        assertThat(run(vet).outcome()).isEqualTo(Outcome.PASSED);

        UpdateParameters p =
                new UpdateParameters(List.of("Dockerfile"), List.of(ref(registry, "trusted")));
        p.setCheck(true);
        StepResult check = run(p);
        assertThat(check.outcome()).as(check.message()).isEqualTo(Outcome.CHANGES_NEEDED);
        assertThat(check.result()).isEqualTo(BuildResult.FAILURE);
        assertThat(check.message())
                .isEqualTo(
                        "imagegateUpdate: 1 file(s) pin stale digests: Dockerfile (run"
                                + " imagegateUpdate without check: true)");
        assertThat(console).anyMatch(l -> l.contains(": - FROM " + old));

        p.setCheck(false);
        p.setCommit(true);
        p.setBranch("imagegate/base-images");
        p.setSummary("update.md");
        StepResult updated = run(p);
        assertThat(updated.outcome()).as(updated.message()).isEqualTo(Outcome.PASSED);
        assertThat(updated.values())
                .containsEntry("changedFiles", List.of("Dockerfile"))
                .containsEntry("branch", "imagegate/base-images")
                .containsEntry("summaryFile", "update.md");
        assertThat((String) updated.values().get("summary"))
                .contains(clean.digest().toString())
                .contains(newer.digest().toString());
        assertThat(updated.message()).contains("(committed on imagegate/base-images)");
        assertThat(git("show", "imagegate/base-images:Dockerfile"))
                .contains(ref(registry, "trusted/moving:1") + "@" + newer.digest());
        // the files are written too (the default output); the branch checked out stays main
        assertThat(Files.readString(workspace.resolve("Dockerfile")))
                .contains(ref(registry, "trusted/moving:1") + "@" + newer.digest());
        assertThat(git("rev-parse", "--abbrev-ref", "HEAD").strip()).isEqualTo("main");

        p.setCommit(false);
        p.setBranch(null);
        p.setSummary(null);
        StepResult again = run(p);
        assertThat(again.values()).containsEntry("changed", false);
        assertThat(again.message()).startsWith("nothing to update");
    }

    private String git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", workspace.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void aBadParameterIsNamedAsTheJenkinsfileWritesIt() throws IOException {
        StepResult result = run(new ImportParameters(ref(registry, "public/clean:1")));
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.errorKind()).contains("USAGE");
        assertThat(result.errorField()).contains("TARGET");
        assertThat(result.message())
                .isEqualTo(
                        "imagegateImport: give a target (target), or mapping rules (map) to derive it, e.g."
                                + " =registry.example.com/mirror");
        assertThat(result.values())
                .containsEntry("outcome", "ERROR")
                .containsEntry("errorKind", "USAGE")
                .containsEntry("retryable", false);
    }

    /**
     * A build listener's logger as the plugin hands it over: what was printed and when it was
     * flushed, in order.
     */
    static final class RecordingLog extends java.io.PrintStream {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final RuntimeException failPrinting;

        RecordingLog(RuntimeException failPrinting) {
            super(
                    new java.io.ByteArrayOutputStream(),
                    false,
                    java.nio.charset.StandardCharsets.UTF_8);
            this.failPrinting = failPrinting;
        }

        @Override
        public void println(String line) {
            if (failPrinting != null) {
                throw failPrinting;
            }
            events.add("line: " + line);
        }

        @Override
        public void flush() {
            events.add("flush");
        }
    }

    /**
     * On an agent, Pipeline's listener buffers its output for 1 to 10 seconds: the work flushes it
     * once it has printed everything, so its lines reach the build log before the step's verdict;
     * also when printing itself fails.
     */
    @Test
    void theLogIsFlushedAfterTheLastLineTheWorkPrints() throws IOException {
        ImportParameters p = new ImportParameters(ref(registry, "public/clean:1"));
        p.setTarget(ref(registry, "flushed/clean:1"));
        RecordingLog log = new RecordingLog(null);
        AgentRequest request =
                new AgentRequest(
                        p,
                        CredentialValues.of(List.of()),
                        Map.of("PATH", System.getenv("PATH")),
                        workspace.resolve("tmp").toString());

        StepResult result = AgentWork.run(request, workspace, workspace.toString(), log);

        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.PASSED);
        assertThat(log.events)
                .as("the summary line, then one flush")
                .hasSizeGreaterThan(1)
                .last()
                .isEqualTo("flush");
        assertThat(log.events.subList(0, log.events.size() - 1))
                .allMatch(e -> e.startsWith("line: "))
                .anyMatch(e -> e.startsWith("line: imported " + ref(registry, "flushed/clean:1")));

        // the listener's stream fails while the work prints: what it did print is flushed all the
        // same
        class Broken extends RuntimeException {}
        RecordingLog broken = new RecordingLog(new Broken());
        StepResult failed =
                AgentWork.run(
                        new AgentRequest(
                                p,
                                CredentialValues.of(List.of()),
                                Map.of("PATH", System.getenv("PATH")),
                                request.tempDirectory()),
                        workspace,
                        workspace.toString(),
                        broken);
        assertThat(failed.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(broken.events).containsExactly("flush");
    }
}
