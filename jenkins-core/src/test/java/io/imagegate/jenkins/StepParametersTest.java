package io.imagegate.jenkins;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The parameter model: what Jenkins hands over is normalized, problems are named as a Jenkinsfile writes them. */
class StepParametersTest {
    @Test
    void blanksAreUnsetAndListsDropNulls() {
        ImportParameters p = new ImportParameters("  alpine:3.20 ");
        p.setTarget("  ");
        p.setMap(java.util.Arrays.asList("=r.example/m", null));
        assertThat(p.getSource()).isEqualTo("alpine:3.20");
        assertThat(p.getTarget()).isNull();
        assertThat(p.getMap()).containsExactly("=r.example/m");
        assertThat(p.getParallel()).isEqualTo(ImportParameters.DEFAULT_PARALLEL).isPositive();
        assertThat(p.problem()).isEmpty();
    }

    @Test
    void problemsNameTheStepsParameters() {
        assertThat(new ScanParameters(null).problem()).contains("image is required");
        assertThat(new ImportParameters("alpine").problem()).contains("give a target (target), or mapping rules (map) to derive it, e.g."
                + " =registry.example.com/mirror");
        ImportParameters parallel = new ImportParameters("alpine");
        parallel.setTarget("r.example/a:1");
        parallel.setParallel(0);
        assertThat(parallel.problem()).hasValueSatisfying(m -> assertThat(m).contains("(parallel)"));
        GateParameters gate = new GateParameters(List.of("Dockerfile"), List.of());
        assertThat(gate.problem()).contains("trusted is required");
        RewriteParameters rewrite = new RewriteParameters(List.of("Dockerfile"), List.of("=r.example/m"));
        rewrite.setPinPlatform("linux/amd64");
        assertThat(rewrite.problem()).contains("a platform to pin (pinPlatform) needs pinning (pin)");
        ScanParameters scan = new ScanParameters("alpine");
        scan.setRegistryCredentials(List.of("registry.example.com"));
        assertThat(scan.problem()).contains("\"registry.example.com\" (registryCredentials) must be REGISTRY=CREDENTIALS_ID, e.g."
                + " registry.example.com=registry-push");
    }

    @Test
    void credentialUsesListEveryIdOnceWithTheParameterThatNamedIt() {
        VetParameters p = new VetParameters("alpine");
        p.setTarget("r.example/a:1");
        p.setSourceCredentialsId("hub");
        p.setTargetCredentialsId("push");
        p.setTrivyServer("https://trivy.example");
        p.setTrivyServerCredentialsId("trivy-token");
        p.setRegistryCredentials(List.of("r.example=push", "mirror.example:5000 = mirror"));
        assertThat(p.credentialUses()).extracting(CredentialUse::toString)
                .containsExactly("sourceCredentialsId=hub", "targetCredentialsId=push", "trivyServerCredentialsId=trivy-token",
                        "registryCredentials=push", "registryCredentials=mirror");
        assertThat(p.credentialUses().get(2).acceptsUsernamePassword()).isFalse();
        assertThat(p.credentialUses().get(0).notFound()).isEqualTo("no credential with id 'hub' (sourceCredentialsId) that this build"
                + " may use: add a \"Username with password\" or \"Secret text\" credential with that id, or check the id and the folder"
                + " it is defined in");
        assertThat(new GateParameters(List.of("Dockerfile"), List.of("r.example")).credentialUses()).isEmpty();
    }

    @Test
    void theModelListsRequiredParametersFirstThenTheRestAlphabetically() {
        assertThat(ParameterModel.of(StepKind.GATE)).extracting(ParameterModel.Parameter::name).containsExactly("files", "trusted",
                "anyPolicy", "buildArgs", "caFile", "insecureRegistries", "platforms", "policy", "registryCredentials", "requireDigest",
                "requireVetted", "unstable");
        assertThat(ParameterModel.of(StepKind.GATE).get(0).typeName()).isEqualTo("List<String>");
        assertThat(ParameterModel.find(StepKind.IMPORT, "parallel").orElseThrow().typeName()).isEqualTo("int");
        assertThat(ParameterModel.find(StepKind.IMPORT, "unstable")).as("an import never fails by policy").isEmpty();
        StepParameters created = ParameterModel.instantiate(StepKind.REWRITE, java.util.Map.of("files", List.of("Dockerfile")));
        assertThat(((RewriteParameters) created).getFiles()).containsExactly("Dockerfile");
        assertThat(((RewriteParameters) created).getMap()).isEmpty();
    }
}
