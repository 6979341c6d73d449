package io.imagegate.jenkins.library;

import static org.assertj.core.api.Assertions.assertThat;

import com.lesfurets.jenkins.unit.BasePipelineTest;
import io.imagegate.oci.Platform;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example Jenkinsfile end to end: the mocked {@code sh} runs the real imagegate CLI
 * (bin/imagegate, the jar the cli module built) in a workspace, with the environment {@code
 * withCredentials} bound, against the real registry and the real Trivy. A Jenkinsfile that vets its
 * base image and gates its Dockerfile passes; one whose Dockerfile uses an unvetted image fails,
 * with the gate's message in the log.
 */
@NeedsComponents
class LibraryEndToEndTest extends BasePipelineTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();

    /** The private registry wants credentials: they reach the CLI only through withCredentials. */
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.htpasswd();

    static final Path CLI = Pipeline.LIBRARY.getParent().resolve("bin/imagegate");
    static final Path JAR = Pipeline.LIBRARY.getParent().resolve("cli/target/imagegate.jar");

    static TestImages.Image clean;

    @TempDir Path workspace;
    @TempDir Path home;

    Pipeline.Log log;

    @BeforeAll
    static void images() {
        // Needs the CLI the reactor built before this module: a missing jar fails, never skips.
        assertThat(JAR)
                .as("the imagegate CLI jar; build it with ./mvnw -pl cli -am package -DskipTests")
                .isRegularFile();
        Platform amd64 = Platform.parse("linux/amd64");
        clean =
                TestImages.alpine(
                        amd64,
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r30", "busybox"}));
        new ImagePusher(upstream).push("library/alpine", "3.20", clean);
        // pushed straight into the trusted prefix, never vetted
        new ImagePusher(registry).push("base/sneaked", "1", clean);
    }

    @BeforeEach
    void setUpPipeline() throws Exception {
        setScriptRoots("../examples/jenkins/library");
        setScriptExtension("");
        super.setUp();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("UPSTREAM", upstream.hostPort());
        env.put("REGISTRY", registry.hostPort());
        env.put("BASE_IMAGE", "library/alpine:3.20");
        env.put("REGISTRY_CREDENTIALS_ID", "registry-push");
        env.put("TRIVY_CACHE_DIR", FixtureVulnerabilityDb.cacheDir().toString());
        env.put("IMAGEGATE_OFFLINE", "true");
        env.put("IMAGEGATE_CLI", CLI.toString());
        log = Pipeline.install(this, env, false);
        log.store.put(
                "registry-push",
                List.of(RegistryExtension.PUSH_USER, RegistryExtension.PUSH_PASSWORD));
        log.shell = this::sh;
    }

    /**
     * sh on the agent: the whole script, as Jenkins runs it ({@code -e}), in the workspace, with
     * the agent's PATH, its own home, and what withCredentials bound; stderr into the console,
     * stdout returned.
     */
    private Pipeline.Ran sh(String script, Map<String, String> bound) {
        log.console.add("+ " + script);
        return AgentShell.run(List.of("bash", "-e"), script, bound, workspace, home);
    }

    /** Runs one step through the library (jenkinsfiles/Call) and returns what it returned. */
    private Object call(String step, Map<String, Object> args) {
        getBinding().setVariable("stepName", step);
        getBinding().setVariable("stepArgs", new LinkedHashMap<>(args));
        getBinding().setVariable("returned", null);
        Pipeline.run(this, "../../../jenkins-library/target/test-classes/jenkinsfiles/Call");
        return getBinding().getVariable("returned");
    }

    @Test
    void aPipelineThatVetsItsBaseImageAndGatesItsDockerfilePasses() throws IOException {
        Files.writeString(
                workspace.resolve("Dockerfile"),
                "FROM " + registry.hostPort() + "/base/library/alpine:3.20\nRUN true\n");
        Pipeline.run(this, "Jenkinsfile");

        assertThat(Pipeline.result()).as(log.text()).isEqualTo("SUCCESS");
        assertThat(log.text())
                .contains(
                        "vetted: "
                                + registry.hostPort()
                                + "/base/library/alpine:3.20@"
                                + clean.digest())
                .contains("1 image reference(s) checked, all trusted")
                .contains("every base image is trusted and vetted")
                .doesNotContain(RegistryExtension.PUSH_PASSWORD);
        assertThat(workspace.resolve("reports/vet"))
                .isDirectoryContaining("glob:**.json")
                .isDirectoryContaining("glob:**.html");
    }

    /**
     * The steps return the plugin's map, read from the real CLI's document: the vet's verdict and
     * counts, the gate's checks.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theStepsReturnThePluginsMap() throws IOException {
        // an image of its own: vetted by no other test, so this vet scans
        new ImagePusher(upstream).push("library/returned", "1", clean);
        String target = registry.hostPort() + "/base/library/returned:1";
        List<String> credentials = List.of(registry.hostPort() + "=registry-push");
        Map<String, Object> vet =
                (Map<String, Object>)
                        call(
                                "imagegateVet",
                                Map.of(
                                        "source",
                                        upstream.hostPort() + "/library/returned:1",
                                        "target",
                                        target,
                                        "registryCredentials",
                                        credentials,
                                        "reportDir",
                                        "reports/vet",
                                        "cacheDir",
                                        FixtureVulnerabilityDb.cacheDir().toString(),
                                        "skipDbUpdate",
                                        true,
                                        "skipJavaDbUpdate",
                                        true,
                                        "offlineScan",
                                        true));

        assertThat(Pipeline.result()).as(log.text()).isEqualTo("SUCCESS");
        // the plugin's keys for a vet (docs/jenkins.md), and the CLI's exit code
        assertThat(vet.keySet())
                .containsExactlyInAnyOrder(
                        "outcome",
                        "result",
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
                        "reports",
                        "exitCode");
        assertThat(vet)
                .containsEntry("outcome", "PASSED")
                .containsEntry("result", "SUCCESS")
                .containsEntry("verdict", "PASS")
                .containsEntry("digest", clean.digest().toString())
                .containsEntry("promoted", true)
                .containsEntry("alreadyVetted", false)
                .containsEntry("exitCode", 0);
        assertThat(((Map<String, Object>) vet.get("counts")).keySet())
                .containsExactlyInAnyOrder("CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN");
        // reports are named after the image (docs/scan.md#reports)
        String stem =
                io.imagegate.report.ReportName.stem(
                        io.imagegate.reference.ImageReference.parse(target)
                                .withDigest(clean.digest()));
        assertThat((List<Object>) vet.get("reports"))
                .contains("reports/vet/" + stem + ".json", "reports/vet/" + stem + ".html");
        Map<String, Object> verdict = ((List<Map<String, Object>>) vet.get("verdicts")).get(0);
        assertThat(verdict)
                .containsEntry("verdict", "PASS")
                .containsEntry("digest", clean.digest().toString())
                .containsEntry("reasons", List.of());
        // the CLI's text is in the log (stderr), its document is not
        assertThat(log.text())
                .contains("vetted: " + target + "@" + clean.digest())
                .doesNotContain("\"schemaVersion\"");

        log = Pipeline.reset();
        log.store.put(
                "registry-push",
                List.of(RegistryExtension.PUSH_USER, RegistryExtension.PUSH_PASSWORD));
        log.shell = this::sh;
        Files.writeString(workspace.resolve("Dockerfile"), "FROM " + target + "\n");
        Map<String, Object> gate =
                (Map<String, Object>)
                        call(
                                "imagegateGate",
                                Map.of(
                                        "files",
                                        List.of("Dockerfile"),
                                        "trusted",
                                        List.of(registry.hostPort() + "/base"),
                                        "requireVetted",
                                        true,
                                        "registryCredentials",
                                        credentials));
        assertThat(gate)
                .containsEntry("outcome", "PASSED")
                .containsEntry("checked", 1)
                .containsEntry("violations", List.of())
                .containsEntry("exitCode", 0);
    }

    @Test
    void aPipelineWhoseDockerfileUsesAnUnvettedImageFailsWithTheGatesMessage() throws IOException {
        Files.writeString(
                workspace.resolve("Dockerfile"),
                "FROM " + registry.hostPort() + "/base/sneaked:1\n");
        Pipeline.run(this, "Jenkinsfile");

        assertThat(Pipeline.result()).as(log.text()).isEqualTo("FAILURE");
        assertThat(log.text())
                .contains("Dockerfile:1: " + registry.hostPort() + "/base/sneaked:1: ")
                .contains("is not vetted: no verdict is recorded for " + clean.digest())
                .contains("ERROR: imagegateGate: the policy said no (see the reasons above)")
                .doesNotContain("every base image is trusted");
    }

    /**
     * Signed verdicts through the example: the vet signs with the key from a secret file credential
     * (cosign generated it) and its password from a secret text, both bound by withCredentials; the
     * gate verifies with the public key in the workspace, and refuses the same verdict when given
     * another key. Neither key nor password reaches the log.
     */
    @Test
    void aPipelineWithASigningKeyCredentialSignsAndItsGateVerifies() throws IOException {
        String password = "org-Key-Passw0rd-9";
        Path keys = io.imagegate.testing.TempDirs.create("imagegate-library-keys-");
        io.imagegate.testing.Cosign.KeyPair org =
                io.imagegate.testing.Cosign.generateKeyPair(keys, "org", password);
        io.imagegate.testing.Cosign.KeyPair other =
                io.imagegate.testing.Cosign.generateKeyPair(keys, "other", password);
        new ImagePusher(upstream).push("library/signed", "1", clean);
        log.store.put("org-key", List.of(Files.readString(org.privateKey())));
        log.store.put("org-key-password", List.of(password));
        @SuppressWarnings("unchecked")
        Map<String, String> env = (Map<String, String>) getBinding().getVariable("env");
        env.put("BASE_IMAGE", "library/signed:1");
        env.put("SIGNING_KEY_CREDENTIALS_ID", "org-key");
        env.put("SIGNING_KEY_PASSWORD_CREDENTIALS_ID", "org-key-password");
        env.put("VERIFY_KEY", "keys/org.pub");
        Files.createDirectories(workspace.resolve("keys"));
        Files.copy(org.publicKey(), workspace.resolve("keys/org.pub"));
        Files.copy(other.publicKey(), workspace.resolve("keys/other.pub"));
        Files.writeString(
                workspace.resolve("Dockerfile"),
                "FROM " + registry.hostPort() + "/base/library/signed:1\n");
        Pipeline.run(this, "Jenkinsfile");

        assertThat(Pipeline.result()).as(log.text()).isEqualTo("SUCCESS");
        assertThat(log.text())
                .contains(
                        "1 image reference(s) checked, all trusted and vetted (verdict signatures verified)")
                .contains("--signing-key \"$IMAGEGATE_SIGNING_KEY_FILE\"")
                .contains("--verify-key keys/org.pub");
        String key = Files.readString(org.privateKey());
        String everything = log.text() + String.join("\n", log.commands);
        assertThat(everything).doesNotContain(password);
        key.lines()
                .filter(l -> !l.startsWith("-----") && l.length() >= 16)
                .forEach(line -> assertThat(everything).doesNotContain(line));
        // withCredentials' copy is Jenkins' to delete; no other copy of the key may stay in the
        // workspace (the CLI, reports)
        try (java.util.stream.Stream<Path> files = Files.walk(workspace)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                key.lines()
                        .filter(l -> !l.startsWith("-----") && l.length() >= 16)
                        .forEach(
                                line ->
                                        assertThat(content)
                                                .as(file.toString())
                                                .doesNotContain(line));
                assertThat(content).as(file.toString()).doesNotContain(password);
            }
        }

        // the same signed verdict, a gate that trusts another key: refused, and says why
        log = Pipeline.reset();
        log.store.put(
                "registry-push",
                List.of(RegistryExtension.PUSH_USER, RegistryExtension.PUSH_PASSWORD));
        log.shell = this::sh;
        call(
                "imagegateGate",
                Map.of(
                        "files",
                        List.of("Dockerfile"),
                        "trusted",
                        List.of(registry.hostPort() + "/base"),
                        "requireVetted",
                        true,
                        "verifyKeys",
                        List.of("keys/other.pub"),
                        "registryCredentials",
                        List.of(registry.hostPort() + "=registry-push")));
        assertThat(Pipeline.result()).as(log.text()).isEqualTo("FAILURE");
        assertThat(log.text())
                .contains("is signed by a key that is not listed")
                .contains("ERROR: imagegateGate: the policy said no");
    }

    /**
     * The attack through the library: the source comes from a build parameter, the credentials are
     * bound to a registry. A listener on loopback asks every request for Basic credentials and
     * records what it is sent: bound to it, the real CLI sends them; bound to another registry, it
     * sends no Authorization header and the log says why.
     */
    @Test
    void sourceCredentialsReachOnlyTheRegistryTheyAreBoundTo() throws Exception {
        List<String> authorizations =
                java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        com.sun.net.httpserver.HttpServer listener =
                com.sun.net.httpserver.HttpServer.create(
                        new java.net.InetSocketAddress(
                                java.net.InetAddress.getLoopbackAddress(), 0),
                        0);
        listener.createContext(
                "/",
                exchange -> {
                    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                    if (authorization != null) {
                        authorizations.add(authorization);
                    }
                    exchange.getResponseHeaders()
                            .add("WWW-Authenticate", "Basic realm=\"collector\"");
                    exchange.sendResponseHeaders(401, -1);
                    exchange.close();
                });
        listener.start();
        try {
            String host = "127.0.0.1:" + listener.getAddress().getPort();
            log.store.put("hub", List.of("hub-user", "hub-Secret-7"));
            getBinding().setVariable("stepName", "imagegateImport");
            for (String binding : List.of(registry.hostPort() + "=hub", host + "=hub")) {
                log = Pipeline.reset();
                log.store.put("hub", List.of("hub-user", "hub-Secret-7"));
                log.shell = this::sh;
                authorizations.clear();
                getBinding()
                        .setVariable(
                                "stepArgs",
                                new LinkedHashMap<>(
                                        Map.of(
                                                "source",
                                                host + "/x:1",
                                                "target",
                                                registry.hostPort() + "/mirror/x:1",
                                                "sourceCredentialsId",
                                                binding)));
                Pipeline.run(
                        this, "../../../jenkins-library/target/test-classes/jenkinsfiles/Call");
                assertThat(Pipeline.result()).isEqualTo("FAILURE");
                assertThat(log.text()).doesNotContain("hub-Secret-7");
                if (binding.startsWith(host)) {
                    assertThat(authorizations).as("the bound registry gets them").isNotEmpty();
                } else {
                    assertThat(authorizations).as(log.text()).isEmpty();
                    assertThat(log.text())
                            .contains(
                                    "SOURCE "
                                            + host
                                            + "/x:1 is on "
                                            + host
                                            + ", not on "
                                            + registry.hostPort()
                                            + " (--src-creds-env "
                                            + registry.hostPort()
                                            + "=IMAGEGATE_SOURCE_USER:IMAGEGATE_SOURCE_PASSWORD):"
                                            + " its credentials are not sent there");
                }
            }
        } finally {
            listener.stop(0);
        }
    }
}
