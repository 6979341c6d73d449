package io.imagegate.jenkins.library;

import static org.assertj.core.api.Assertions.assertThat;

import com.lesfurets.jenkins.unit.cps.BasePipelineTestCPS;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example Jenkinsfile, loaded through {@code @Library}, with the library run in CPS mode as
 * Jenkins runs it: closures that only break under CPS (a variable set inside {@code
 * withCredentials}, a non-serializable value kept across a step) fail here.
 */
class LibraryCpsTest extends BasePipelineTestCPS {
    Pipeline.Log log;

    @BeforeEach
    void setUpPipeline() throws Exception {
        setScriptRoots("../examples/jenkins/library");
        setScriptExtension("");
        super.setUp();
        log =
                Pipeline.install(
                        this,
                        Map.of(
                                "UPSTREAM",
                                "docker.io",
                                "REGISTRY",
                                "registry.example.com",
                                "BASE_IMAGE",
                                "library/alpine:3.20",
                                "REGISTRY_CREDENTIALS_ID",
                                "registry-push"),
                        false);
        log.store.put("registry-push", List.of("pusher", "push-Secret-1"));
    }

    @Test
    void theExamplePassesWhenImagegatePasses() {
        Pipeline.run(this, "Jenkinsfile");
        assertThat(Pipeline.result()).isEqualTo("SUCCESS");
        assertThat(log.commands)
                .containsExactly(
                        "imagegate vet --json --report-dir reports/vet --creds-env registry.example.com=IMAGEGATE_REGISTRY_0_USER:IMAGEGATE_REGISTRY_0_PASSWORD"
                                + " -- docker.io/library/alpine:3.20 registry.example.com/base/library/alpine:3.20",
                        "imagegate gate --json --trusted registry.example.com/base --require-vetted"
                                + " --creds-env registry.example.com=IMAGEGATE_REGISTRY_0_USER:IMAGEGATE_REGISTRY_0_PASSWORD -- Dockerfile");
        assertThat(log.credentialBindings)
                .extracting(b -> b.get(0).get("credentialsId"))
                .containsExactly("registry-push", "registry-push");
        // the CPS interpreter runs withCredentials' body after the mock returned: sh still saw what
        // it bound
        assertThat(log.commandEnvironments)
                .allSatisfy(
                        env ->
                                assertThat(env)
                                        .containsEntry("IMAGEGATE_REGISTRY_0_USER", "pusher")
                                        .containsEntry(
                                                "IMAGEGATE_REGISTRY_0_PASSWORD", "push-Secret-1"));
        assertThat(String.join("\n", log.commands)).doesNotContain("push-Secret-1");
        assertThat(log.text()).contains("every base image is trusted and vetted");
    }

    @Test
    void aFailedVettingStopsTheBuildBeforeTheGate() {
        log.sh = (command, env) -> command.startsWith("imagegate vet") ? 1 : 0;
        Pipeline.run(this, "Jenkinsfile");
        assertThat(Pipeline.result()).isEqualTo("FAILURE");
        assertThat(log.commands).hasSize(1);
        assertThat(log.text())
                .contains("ERROR: imagegateVet: the policy said no (see the reasons above)")
                .doesNotContain("every base image is trusted");
    }
}
