package io.imagegate.jenkins.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;

import hudson.EnvVars;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import hudson.util.Secret;

import io.imagegate.jenkins.SummaryRow;
import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import io.imagegate.report.ReportName;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;

import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.graphanalysis.DepthFirstScanner;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The steps in a real Jenkins (JenkinsRule): Pipelines in the Groovy sandbox, the work on a real
 * agent (a separate JVM, so everything that crosses to it is serialized and filtered as in
 * production), credentials from the credentials store, masking, the snippet generator, and the
 * build action. Runs only where the Jenkins Maven repository is reachable (./mvnw -Pjenkins -pl
 * jenkins-plugin -am verify); the default build tests everything else in jenkins-core.
 */
@WithJenkins
class ImagegateStepsTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.htpasswd();

    static TestImages.Image clean;

    @BeforeAll
    static void images() {
        Platform amd64 = Platform.parse("linux/amd64");
        clean =
                TestImages.alpine(
                        amd64,
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r30", "busybox"}));
        ImagePusher pusher = new ImagePusher(upstream);
        pusher.push("library/alpine", "3.20", clean);
        pusher.push(
                "library/vulnerable",
                "1",
                TestImages.alpine(
                        amd64, List.<String[]>of(new String[] {"openssl", "3.5.0-r0", "openssl"})));
        new ImagePusher(registry).push("base/sneaked", "1", clean);
    }

    /** An agent whose environment is what the example Jenkinsfile reads. */
    private static DumbSlave agent(JenkinsRule r) throws Exception {
        return r.createOnlineSlave(
                null,
                new EnvVars(
                        "UPSTREAM",
                        upstream.hostPort(),
                        "REGISTRY",
                        registry.hostPort(),
                        "BASE_IMAGE",
                        "library/alpine:3.20",
                        "REGISTRY_CREDENTIALS_ID",
                        "registry-push",
                        "TRIVY_CACHE_DIR",
                        FixtureVulnerabilityDb.cacheDir().toString(),
                        "IMAGEGATE_OFFLINE",
                        "true"));
    }

    private static void pushCredentials() throws Exception {
        SystemCredentialsProvider.getInstance()
                .getCredentials()
                .add(
                        new UsernamePasswordCredentialsImpl(
                                CredentialsScope.GLOBAL,
                                "registry-push",
                                "the private registry",
                                RegistryExtension.PUSH_USER,
                                RegistryExtension.PUSH_PASSWORD));
        SystemCredentialsProvider.getInstance().save();
    }

    private static WorkflowJob job(JenkinsRule r, String name, String script) throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, name);
        job.setDefinition(new CpsFlowDefinition(script, true));
        return job;
    }

    private static String example() throws Exception {
        return Files.readString(
                FixtureVulnerabilityDb.projectRoot().resolve("examples/jenkins/plugin/Jenkinsfile"),
                StandardCharsets.UTF_8);
    }

    @Test
    void theExampleVetsItsBaseImageAndGatesItsDockerfileOnAnAgent(JenkinsRule r) throws Exception {
        DumbSlave agent = agent(r);
        pushCredentials();
        WorkflowJob job =
                job(
                        r,
                        "example",
                        example().replace("node {", "node('" + agent.getNodeName() + "') {"));
        agent.getWorkspaceFor(job)
                .child("Dockerfile")
                .write("FROM " + registry.hostPort() + "/base/library/alpine:3.20\n", "UTF-8");

        WorkflowRun run = r.buildAndAssertSuccess(job);

        r.assertLogContains(
                "vetted "
                        + registry.hostPort()
                        + "/base/library/alpine:3.20@"
                        + clean.digest()
                        + ": PASS",
                run);
        r.assertLogContains("gate: 1 image reference(s) checked", run);
        r.assertLogNotContains(RegistryExtension.PUSH_PASSWORD, run);
        ImagegateAction action = run.getAction(ImagegateAction.class);
        assertNotNull(action);
        assertEquals(
                List.of("imagegateVet", "imagegateGate"),
                action.getRows().stream().map(SummaryRow::getStep).toList());
        String stem =
                ReportName.stem(
                        ImageReference.parse(registry.hostPort() + "/base/library/alpine:3.20")
                                .withDigest(clean.digest()));
        assertTrue(
                run.getArtifactManager().root().child("reports/vet/" + stem + ".html").isFile(),
                "the reports are archived");
        assertTrue(
                run.getArtifactManager().root().child("reports/vet/imagegate-report.css").isFile(),
                "with the stylesheet the page links");
    }

    @Test
    void anUnvettedBaseImageFailsTheBuildWithTheGatesMessage(JenkinsRule r) throws Exception {
        DumbSlave agent = agent(r);
        pushCredentials();
        WorkflowJob job =
                job(
                        r,
                        "unvetted",
                        example().replace("node {", "node('" + agent.getNodeName() + "') {"));
        agent.getWorkspaceFor(job)
                .child("Dockerfile")
                .write("FROM " + registry.hostPort() + "/base/sneaked:1\n", "UTF-8");

        WorkflowRun run = r.buildAndAssertStatus(Result.FAILURE, job);

        r.assertLogContains("is not vetted: no verdict is recorded for " + clean.digest(), run);
        r.assertLogContains("ERROR: imagegateGate: 1 violation(s) in 1 image reference(s)", run);
        r.assertLogNotContains("docker build can go ahead", run);
    }

    @Test
    void aPolicyFailureMarksTheBuildAndTheStageUnstableWhenAsked(JenkinsRule r) throws Exception {
        DumbSlave agent = agent(r);
        String script =
                "node('"
                        + agent.getNodeName()
                        + "') {\n"
                        + "  def scan = imagegateScan(image: \"${env.UPSTREAM}/library/vulnerable:1\", unstable: true, reportDir: 'reports',"
                        + " cacheDir: env.TRIVY_CACHE_DIR, skipDbUpdate: true, skipJavaDbUpdate: true, offlineScan: true)\n"
                        + "  echo \"verdict=${scan.verdict} critical=${scan.counts.CRITICAL} result=${scan.result}\"\n"
                        + "}\n";
        WorkflowJob job = job(r, "unstable", script);

        WorkflowRun run = r.buildAndAssertStatus(Result.UNSTABLE, job);

        r.assertLogContains("verdict=FAIL critical=1 result=UNSTABLE", run);
        r.assertLogContains(
                "WARNING: imagegateScan: " + upstream.hostPort() + "/library/vulnerable:1@sha256:",
                run);
        assertTrue(
                new DepthFirstScanner()
                        .allNodes(run.getExecution()).stream()
                                .anyMatch(n -> n.getPersistentAction(WarningAction.class) != null),
                "the stage carries a WarningAction");

        job.setDefinition(
                new CpsFlowDefinition(script.replace("unstable: true", "unstable: false"), true));
        WorkflowRun failed = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains(
                "ERROR: imagegateScan: " + upstream.hostPort() + "/library/vulnerable:1@sha256:",
                failed);
    }

    @Test
    void credentialsAreLookedUpByIdAndMaskedEverywhere(JenkinsRule r) throws Exception {
        DumbSlave agent = agent(r);
        // a username marked secret (the credential's own flag; by default a username is not secret,
        // and then not masked)
        UsernamePasswordCredentialsImpl push =
                new UsernamePasswordCredentialsImpl(
                        CredentialsScope.GLOBAL,
                        "registry-push",
                        "",
                        RegistryExtension.PUSH_USER,
                        RegistryExtension.PUSH_PASSWORD);
        push.setUsernameSecret(true);
        SystemCredentialsProvider.getInstance().getCredentials().add(push);
        // a secret text whose value shows up in every line, because the target repository is named
        // after it
        SystemCredentialsProvider.getInstance()
                .getCredentials()
                .add(
                        new StringCredentialsImpl(
                                CredentialsScope.GLOBAL,
                                "marker",
                                "",
                                Secret.fromString("s3cret-repo-name")));
        SystemCredentialsProvider.getInstance().save();
        // both secrets are in the target's name, so in every line, the returned map and the summary
        // row: all must mask them
        WorkflowJob job =
                job(
                        r,
                        "credentials",
                        "node('"
                                + agent.getNodeName()
                                + "') {\n"
                                + "  def imported = imagegateImport(source: \"${env.UPSTREAM}/library/alpine:3.20\","
                                + " target: \"${env.REGISTRY}/s3cret-repo-name/"
                                + RegistryExtension.PUSH_USER
                                + "/alpine:3.20\","
                                + " targetCredentialsId: \"${env.REGISTRY}=registry-push\", registryCredentials: [\"${env.UPSTREAM}=marker\"])\n"
                                + "  echo \"imported ${imported.target} digest=${imported.digest}\"\n"
                                + "}\n");

        WorkflowRun run = r.buildAndAssertSuccess(job);

        String masked = registry.hostPort() + "/****/****/alpine:3.20@" + clean.digest();
        r.assertLogContains("imported " + masked + " digest=" + clean.digest(), run);
        r.assertLogNotContains("s3cret-repo-name", run);
        r.assertLogNotContains(RegistryExtension.PUSH_PASSWORD, run);
        r.assertLogNotContains("/" + RegistryExtension.PUSH_USER + "/", run);
        // the build page's row, and build.xml that holds it
        assertEquals(masked, run.getAction(ImagegateAction.class).getRows().get(0).getImage());
        String buildXml =
                Files.readString(
                        run.getRootDir().toPath().resolve("build.xml"), StandardCharsets.UTF_8);
        assertTrue(buildXml.contains(masked), "the row is in build.xml");
        assertFalse(buildXml.contains("s3cret-repo-name"), "build.xml holds no secret");
        assertFalse(
                buildXml.contains(RegistryExtension.PUSH_PASSWORD), "build.xml holds no password");
    }

    @Test
    void aMissingCredentialFailsWithWhatToAdd(JenkinsRule r) throws Exception {
        WorkflowJob job =
                job(
                        r,
                        "missing",
                        "node {\n  imagegateImport(source: 'alpine:3.20', target: 'r.example/a:1',"
                                + " targetCredentialsId: 'r.example=nope')\n}\n");
        WorkflowRun run = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains(
                "imagegateImport: no credential with id 'nope' (targetCredentialsId) that this build may use for"
                        + " https://r.example",
                run);
    }

    @Test
    void aCredentialOfAnotherTypeSaysWhichTypeItIs(JenkinsRule r) throws Exception {
        SystemCredentialsProvider.getInstance()
                .getCredentials()
                .add(
                        new org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl(
                                CredentialsScope.GLOBAL,
                                "file",
                                "",
                                "key.pem",
                                com.cloudbees.plugins.credentials.SecretBytes.fromString("x")));
        WorkflowJob job =
                job(
                        r,
                        "type",
                        "node {\n  imagegateScan(image: 'r.example/a:1', registryCredentials: ['r.example=file'])\n}\n");
        WorkflowRun run = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains(
                "imagegateScan: credential 'file' (registryCredentials) is a Secret file, a username with password or a"
                        + " secret text was expected",
                run);
    }

    /**
     * Signed verdicts through the example: the key is a secret file credential (cosign generated
     * it), its password a secret text; the gate verifies with the public key in the workspace.
     * Neither reaches the log; the key's use is tracked.
     */
    @Test
    void aSigningKeyCredentialSignsTheVerdictAndTheGateVerifiesIt(JenkinsRule r) throws Exception {
        String password = "org-Key-Passw0rd-5";
        Path keys = io.imagegate.testing.TempDirs.create("imagegate-plugin-keys-");
        io.imagegate.testing.Cosign.KeyPair org =
                io.imagegate.testing.Cosign.generateKeyPair(keys, "org", password);
        org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl key =
                new org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl(
                        CredentialsScope.GLOBAL,
                        "org-key",
                        "",
                        "cosign.key",
                        com.cloudbees.plugins.credentials.SecretBytes.fromRawBytes(
                                Files.readAllBytes(org.privateKey())));
        SystemCredentialsProvider.getInstance().getCredentials().add(key);
        SystemCredentialsProvider.getInstance()
                .getCredentials()
                .add(
                        new StringCredentialsImpl(
                                CredentialsScope.GLOBAL,
                                "org-key-password",
                                "",
                                Secret.fromString(password)));
        DumbSlave agent = agent(r);
        pushCredentials();
        WorkflowJob job =
                job(
                        r,
                        "signed",
                        "withEnv(['SIGNING_KEY_CREDENTIALS_ID=org-key',"
                                + " 'SIGNING_KEY_PASSWORD_CREDENTIALS_ID=org-key-password', 'VERIFY_KEY=keys/org.pub']) {\n"
                                + example()
                                        .replace("node {", "node('" + agent.getNodeName() + "') {")
                                + "\n}\n");
        agent.getWorkspaceFor(job)
                .child("Dockerfile")
                .write("FROM " + registry.hostPort() + "/base/library/alpine:3.20\n", "UTF-8");
        agent.getWorkspaceFor(job)
                .child("keys/org.pub")
                .write(Files.readString(org.publicKey()), "UTF-8");

        WorkflowRun run = r.buildAndAssertSuccess(job);

        r.assertLogContains(
                "1 image reference(s) checked, all trusted and vetted (verdict signatures verified)",
                run);
        r.assertLogNotContains(password, run);
        for (String line : Files.readAllLines(org.privateKey())) {
            if (!line.startsWith("-----") && line.length() >= 16) {
                r.assertLogNotContains(line, run);
            }
        }
        assertNotNull(
                com.cloudbees.plugins.credentials.CredentialsProvider.getFingerprintOf(key),
                "the key's use is tracked");
    }

    @Test
    void aSigningKeyThatIsNoSecretFileOrAWrongPasswordFailsTheStepClearly(JenkinsRule r)
            throws Exception {
        SystemCredentialsProvider.getInstance()
                .getCredentials()
                .add(
                        new StringCredentialsImpl(
                                CredentialsScope.GLOBAL,
                                "text",
                                "",
                                Secret.fromString("not-a-key")));
        WorkflowJob job =
                job(
                        r,
                        "text-key",
                        "node {\n  imagegateVet(source: 'alpine:3.20', target: 'r.example/a:1',"
                                + " signingKeyCredentialsId: 'text')\n}\n");
        r.assertLogContains(
                "imagegateVet: credential 'text' (signingKeyCredentialsId) is a Secret text, a secret file was expected",
                r.buildAndAssertStatus(Result.FAILURE, job));

        Path keys = io.imagegate.testing.TempDirs.create("imagegate-plugin-keys-");
        io.imagegate.testing.Cosign.KeyPair org =
                io.imagegate.testing.Cosign.generateKeyPair(keys, "org", "right-Passw0rd");
        SystemCredentialsProvider.getInstance()
                .getCredentials()
                .add(
                        new org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl(
                                CredentialsScope.GLOBAL,
                                "org-key",
                                "",
                                "cosign.key",
                                com.cloudbees.plugins.credentials.SecretBytes.fromRawBytes(
                                        Files.readAllBytes(org.privateKey()))));
        SystemCredentialsProvider.getInstance()
                .getCredentials()
                .add(
                        new StringCredentialsImpl(
                                CredentialsScope.GLOBAL,
                                "wrong",
                                "",
                                Secret.fromString("wrong-Passw0rd")));
        // the key is loaded before anything is copied: no registry is asked
        WorkflowJob wrong =
                job(
                        r,
                        "wrong-password",
                        "node {\n  imagegateVet(source: 'alpine:3.20', target: 'r.example/base/wrong:1',"
                                + " signingKeyCredentialsId: 'org-key', signingKeyPasswordCredentialsId: 'wrong')\n}\n");
        WorkflowRun run = r.buildAndAssertStatus(Result.FAILURE, wrong);
        r.assertLogContains(
                "imagegateVet: the password does not open the signing key credential 'org-key' (signingKeyCredentialsId);"
                        + " check signingKeyPasswordCredentialsId",
                run);
        r.assertLogNotContains("wrong-Passw0rd", run);
    }

    /**
     * A credential in a domain restricted to one host is found for that host only, and its use is
     * tracked on the build.
     */
    @Test
    void credentialsInAHostDomainMatchOnlyTheirHostAndTheirUseIsTracked(JenkinsRule r)
            throws Exception {
        com.cloudbees.plugins.credentials.domains.Domain domain =
                new com.cloudbees.plugins.credentials.domains.Domain(
                        "private",
                        "",
                        List.of(
                                new com.cloudbees.plugins.credentials.domains.HostnameSpecification(
                                        "127.0.0.1", "")));
        UsernamePasswordCredentialsImpl push =
                new UsernamePasswordCredentialsImpl(
                        CredentialsScope.GLOBAL,
                        "registry-push",
                        "",
                        RegistryExtension.PUSH_USER,
                        RegistryExtension.PUSH_PASSWORD);
        java.util.Map<
                        com.cloudbees.plugins.credentials.domains.Domain,
                        List<com.cloudbees.plugins.credentials.Credentials>>
                domains =
                        new java.util.LinkedHashMap<>(
                                SystemCredentialsProvider.getInstance().getDomainCredentialsMap());
        domains.put(domain, List.of(push));
        SystemCredentialsProvider.getInstance().setDomainCredentialsMap(domains);
        SystemCredentialsProvider.getInstance().save();
        WorkflowJob other =
                job(
                        r,
                        "other-host",
                        "node {\n  imagegateScan(image: 'r.example/a:1',"
                                + " registryCredentials: ['r.example=registry-push'])\n}\n");
        r.assertLogContains(
                "no credential with id 'registry-push' (registryCredentials) that this build may use for https://r.example",
                r.buildAndAssertStatus(Result.FAILURE, other));

        WorkflowJob own =
                job(
                        r,
                        "own-host",
                        "node {\n  imagegateImport(source: \"${env.UPSTREAM}/library/alpine:3.20\","
                                + " target: \"${env.REGISTRY}/tracked/alpine:3.20\", targetCredentialsId: \"${env.REGISTRY}=registry-push\")\n}\n");
        WorkflowRun run = r.buildAndAssertSuccess(own);
        assertThat(com.cloudbees.plugins.credentials.CredentialsProvider.getFingerprintOf(push))
                .as("tracked")
                .isNotNull();
        assertThat(
                        com.cloudbees.plugins.credentials.CredentialsProvider.getFingerprintOf(push)
                                .getJobs())
                .contains(own.getFullName());
    }

    /**
     * The attack: the image is a build parameter; the credentials bound to the private registry
     * never go to its host.
     */
    @Test
    void aParameterisedImageOnAnotherHostGetsNoCredentials(JenkinsRule r) throws Exception {
        pushCredentials();
        WorkflowJob job =
                job(
                        r,
                        "parameterised",
                        "node {\n  imagegateImport(source: 'their.example/x:1',"
                                + " target: \"${env.REGISTRY}/mirror/x:1\", sourceCredentialsId: \"${env.REGISTRY}=registry-push\")\n}\n");
        WorkflowRun run = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains(
                "source their.example/x:1 is on their.example, not on "
                        + registry.hostPort()
                        + " (sourceCredentialsId "
                        + registry.hostPort()
                        + "=registry-push): its credentials are not sent there",
                run);
        r.assertLogNotContains(RegistryExtension.PUSH_PASSWORD, run);
    }

    @Test
    void aBadArgumentIsNamedAsTheJenkinsfileWritesIt(JenkinsRule r) throws Exception {
        WorkflowJob job = job(r, "bad", "node {\n  imagegateImport(source: 'alpine:3.20')\n}\n");
        WorkflowRun run = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains(
                "imagegateImport: give a target (target), or mapping rules (map) to derive it",
                run);
    }

    @Test
    void theSnippetGeneratorWritesEveryStepAsAJenkinsfileDoes(JenkinsRule r) throws Exception {
        SnippetizerTester st = new SnippetizerTester(r);
        st.assertRoundTrip(new ScanStep("alpine:3.20"), "imagegateScan 'alpine:3.20'");

        ImportStep importStep = new ImportStep("alpine:3.20");
        importStep.setTarget("registry.example.com/base/alpine:3.20");
        importStep.setPlatforms(List.of("linux/amd64", "linux/arm64"));
        importStep.setParallel(3);
        st.assertRoundTrip(
                importStep,
                "imagegateImport parallel: 3, platforms: ['linux/amd64', 'linux/arm64'], source: 'alpine:3.20',"
                        + " target: 'registry.example.com/base/alpine:3.20'");

        VetStep vet = new VetStep("alpine:3.20");
        vet.setTarget("registry.example.com/base/alpine:3.20");
        vet.setTargetCredentialsId("registry.example.com=registry-push");
        vet.setUnstable(true);
        vet.setSeverities(List.of("HIGH", "CRITICAL"));
        vet.setSigningKeyCredentialsId("imagegate-signing-key");
        st.assertRoundTrip(
                vet,
                "imagegateVet severities: ['HIGH', 'CRITICAL'], signingKeyCredentialsId: 'imagegate-signing-key',"
                        + " source: 'alpine:3.20',"
                        + " target: 'registry.example.com/base/alpine:3.20', targetCredentialsId: 'registry.example.com=registry-push', unstable: true");

        RewriteStep rewrite =
                new RewriteStep(List.of("Dockerfile"), List.of("=registry.example.com/mirror"));
        rewrite.setPin(true);
        st.assertRoundTrip(
                rewrite,
                "imagegateRewrite files: ['Dockerfile'], map: ['=registry.example.com/mirror'], pin: true");

        GateStep gate =
                new GateStep(List.of("**/Dockerfile"), List.of("registry.example.com/base"));
        gate.setRequireVetted(true);
        gate.setRegistryCredentials(List.of("registry.example.com=registry-push"));
        gate.setVerifyKeys(List.of("keys/org.pub"));
        st.assertRoundTrip(
                gate,
                "imagegateGate files: ['**/Dockerfile'], registryCredentials: ['registry.example.com=registry-push'],"
                        + " requireVetted: true, trusted: ['registry.example.com/base'], verifyKeys: ['keys/org.pub']");
    }

    @Test
    void reportsOutsideTheWorkspaceAreNotArchived(JenkinsRule r) throws Exception {
        Path outside = Files.createTempDirectory("imagegate-reports-");
        DumbSlave agent = agent(r);
        WorkflowJob job =
                job(
                        r,
                        "outside",
                        "node('"
                                + agent.getNodeName()
                                + "') {\n"
                                + "  def scan = imagegateScan(image: \"${env.UPSTREAM}/library/alpine:3.20\", reportDir: '"
                                + outside
                                + "',"
                                + " cacheDir: env.TRIVY_CACHE_DIR, skipDbUpdate: true, skipJavaDbUpdate: true, offlineScan: true)\n"
                                + "  echo \"verdict=${scan.verdict}\"\n"
                                + "}\n");
        WorkflowRun run = r.buildAndAssertSuccess(job);
        r.assertLogContains("verdict=PASS", run);
        List<String> written;
        try (java.util.stream.Stream<Path> files = Files.list(outside)) {
            written =
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".json"))
                            .toList();
        }
        assertEquals(1, written.size(), written.toString());
        assertFalse(run.getArtifactManager().root().child(written.get(0)).isFile());
    }
}
