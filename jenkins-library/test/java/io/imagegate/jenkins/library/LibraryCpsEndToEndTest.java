package io.imagegate.jenkins.library;

import static org.assertj.core.api.Assertions.assertThat;

import com.lesfurets.jenkins.unit.cps.BasePipelineTestCPS;
import io.imagegate.oci.Platform;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import java.io.IOException;
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
 * The example Jenkinsfile as Jenkins runs it, all real but Jenkins itself: loaded through
 * {@code @Library}, interpreted by the CPS interpreter (JenkinsPipelineUnit's), each {@code sh}
 * running its whole script under {@code /bin/sh -xe} as Jenkins' durable task does, the real
 * imagegate CLI (bin/imagegate, the jar the cli module built), the real registry (an htpasswd one,
 * its credentials through withCredentials) and the real Trivy. LibraryCpsTest interprets the same
 * file with a fake CLI; LibraryEndToEndTest runs the real one outside CPS.
 */
@NeedsComponents
class LibraryCpsEndToEndTest extends BasePipelineTestCPS {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.htpasswd();

    static TestImages.Image clean;

    @TempDir Path workspace;
    @TempDir Path home;

    Pipeline.Log log;

    @BeforeAll
    static void images() {
        // Needs the CLI the reactor built before this module: a missing jar fails, never skips.
        assertThat(LibraryEndToEndTest.JAR)
                .as("the imagegate CLI jar; build it with ./mvnw -pl cli -am package -DskipTests")
                .isRegularFile();
        clean =
                TestImages.alpine(
                        Platform.parse("linux/amd64"),
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r30", "busybox"}));
        new ImagePusher(upstream).push("library/alpine", "3.20", clean);
        // an image of its own for the passing run: vetted by no other test, so it scans and reports
        // whatever the order
        new ImagePusher(upstream).push("library/cps", "1", clean);
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
        env.put("IMAGEGATE_CLI", LibraryEndToEndTest.CLI.toString());
        log = Pipeline.install(this, env, false);
        log.store.put(
                "registry-push",
                List.of(RegistryExtension.PUSH_USER, RegistryExtension.PUSH_PASSWORD));
        log.shell =
                (script, bound) ->
                        AgentShell.run(List.of("/bin/sh", "-xe"), script, bound, workspace, home);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theExampleVetsAndGatesWithTheRealCliUnderCps() throws IOException {
        ((Map<String, String>) getBinding().getVariable("env")).put("BASE_IMAGE", "library/cps:1");
        Files.writeString(
                workspace.resolve("Dockerfile"),
                "FROM " + registry.hostPort() + "/base/library/cps:1\n");
        Pipeline.run(this, "Jenkinsfile");

        assertThat(Pipeline.result()).as(log.text()).isEqualTo("SUCCESS");
        // the shell's own trace: the command as sh ran it, credentials named by their variables
        // only
        assertThat(log.text())
                .contains("+ " + LibraryEndToEndTest.CLI + " vet --json --report-dir reports/vet ")
                .contains(
                        " --creds-env "
                                + registry.hostPort()
                                + "=IMAGEGATE_REGISTRY_0_USER:IMAGEGATE_REGISTRY_0_PASSWORD -- ")
                .contains("+ " + LibraryEndToEndTest.CLI + " gate --json");
        assertThat(log.text())
                .contains(
                        "vetted: " + registry.hostPort() + "/base/library/cps:1@" + clean.digest())
                .contains("1 image reference(s) checked, all trusted")
                .contains("every base image is trusted and vetted")
                .doesNotContain(RegistryExtension.PUSH_PASSWORD);
        assertThat(log.commandEnvironments.get(0))
                .containsEntry("IMAGEGATE_REGISTRY_0_PASSWORD", RegistryExtension.PUSH_PASSWORD);
        assertThat(workspace.resolve("reports/vet"))
                .isDirectoryContaining("glob:**.json")
                .isDirectoryContaining("glob:**.html");
    }

    @Test
    void anUnvettedBaseImageStopsTheBuildAtTheGateUnderCps() throws IOException {
        Files.writeString(
                workspace.resolve("Dockerfile"),
                "FROM " + registry.hostPort() + "/base/sneaked:1\n");
        Pipeline.run(this, "Jenkinsfile");

        assertThat(Pipeline.result()).as(log.text()).isEqualTo("FAILURE");
        assertThat(log.text())
                .contains("is not vetted: no verdict is recorded for " + clean.digest())
                .contains("ERROR: imagegateGate: the policy said no (see the reasons above)")
                .doesNotContain("every base image is trusted")
                .doesNotContain(RegistryExtension.PUSH_PASSWORD);
        assertThat(log.commands).hasSize(2);
    }
}
