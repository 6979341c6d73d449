package io.imagegate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parameter model: what Jenkins hands over is normalized, problems are named as a Jenkinsfile
 * writes them.
 */
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
        assertThat(new ImportParameters("alpine").problem())
                .contains(
                        "give a target (target), or mapping rules (map) to derive it, e.g."
                                + " =registry.example.com/mirror");
        ImportParameters parallel = new ImportParameters("alpine");
        parallel.setTarget("r.example/a:1");
        parallel.setParallel(0);
        assertThat(parallel.problem())
                .hasValueSatisfying(m -> assertThat(m).contains("(parallel)"));
        GateParameters gate = new GateParameters(List.of("Dockerfile"), List.of());
        assertThat(gate.problem()).contains("trusted is required");
        RewriteParameters rewrite =
                new RewriteParameters(List.of("Dockerfile"), List.of("=r.example/m"));
        rewrite.setPinPlatform("linux/amd64");
        assertThat(rewrite.problem())
                .contains("a platform to pin (pinPlatform) needs pinning (pin)");
        UpdateParameters update = new UpdateParameters(List.of("."), List.of("r.example/base"));
        assertThat(update.problem()).isEmpty();
        update.setBranch("imagegate/base-images");
        assertThat(update.problem()).contains("a branch (branch) needs commit");
        update.setCommit(true);
        update.setCheck(true);
        assertThat(update.problem())
                .contains("commit and check exclude each other: a check changes nothing to commit");
        update.setCheck(false);
        update.setPatch("update.patch");
        update.setBranch(null);
        assertThat(update.problem())
                .hasValueSatisfying(m -> assertThat(m).contains("patch").contains("(branch)"));
        ScanParameters scan = new ScanParameters("alpine");
        scan.setRegistryCredentials(List.of("registry.example.com"));
        assertThat(scan.problem())
                .contains(
                        "\"registry.example.com\" (registryCredentials) must be REGISTRY=CREDENTIALS_ID, e.g."
                                + " registry.example.com=registry-push");
    }

    @Test
    void credentialUsesListEveryIdOnceWithTheParameterThatNamedItAndTheRegistryItIsFor() {
        VetParameters p = new VetParameters("alpine");
        p.setTarget("r.example/a:1");
        p.setSourceCredentialsId("index.docker.io=hub");
        p.setTargetCredentialsId("r.example=push");
        p.setTrivyServer("https://trivy.example");
        p.setTrivyServerCredentialsId("trivy-token");
        p.setRegistryCredentials(List.of("r.example=push", "Mirror.example:5000 = mirror"));
        assertThat(p.problem()).isEmpty();
        assertThat(p.credentialUses())
                .extracting(CredentialUse::toString)
                .containsExactly(
                        "sourceCredentialsId=hub for https://index.docker.io/v1/",
                        "targetCredentialsId=push for https://r.example",
                        "trivyServerCredentialsId=trivy-token for https://trivy.example",
                        "registryCredentials=push for https://r.example",
                        "registryCredentials=mirror for https://mirror.example:5000");
        assertThat(p.credentialUses().get(2).acceptsUsernamePassword()).isFalse();
        assertThat(p.credentialUses().get(1).notFound())
                .isEqualTo(
                        "no credential with id 'push' (targetCredentialsId) that this build"
                                + " may use for https://r.example: add a \"Username with password\" or \"Secret text\" credential with that id, or check"
                                + " the id, the folder it is defined in, and that its domain (if any) includes https://r.example");
        assertThat(p.credentialUses().get(0).wrongType("SSH Username with private key"))
                .isEqualTo(
                        "credential 'hub'"
                                + " (sourceCredentialsId) is a SSH Username with private key, a username with password or a secret text was expected");
        assertThat(new GateParameters(List.of("Dockerfile"), List.of("r.example")).credentialUses())
                .isEmpty();
    }

    @Test
    void aSigningKeyIsASecretFileItsPasswordASecretTextAndThePasswordGoesToTheEnvironmentOnly() {
        VetParameters p = new VetParameters("alpine");
        p.setTarget("r.example/a:1");
        p.setSigningKeyCredentialsId("org-key");
        p.setSigningKeyPasswordCredentialsId("org-key-password");
        assertThat(p.problem()).isEmpty();
        assertThat(p.credentialUses())
                .extracting(CredentialUse::toString)
                .containsExactly(
                        "signingKeyCredentialsId=org-key",
                        "signingKeyPasswordCredentialsId=org-key-password");
        CredentialUse key = p.credentialUses().get(0);
        assertThat(key.acceptsSecretFile()).isTrue();
        assertThat(key.acceptsSecretText()).isFalse();
        assertThat(key.acceptsUsernamePassword()).isFalse();
        assertThat(key.uri()).isNull();
        assertThat(key.notFound())
                .isEqualTo(
                        "no credential with id 'org-key' (signingKeyCredentialsId) that this build may use: add a"
                                + " \"Secret file\" credential with that id, or check the id, the folder it is defined in");
        assertThat(key.wrongType("Secret text"))
                .isEqualTo(
                        "credential 'org-key' (signingKeyCredentialsId) is a Secret text, a secret"
                                + " file was expected");
        assertThat(p.credentialUses().get(1).acceptsSecretText()).isTrue();
        assertThat(p.credentialUses().get(1).acceptsSecretFile()).isFalse();

        CredentialValues values =
                CredentialValues.of(
                        List.of(
                                CredentialValue.secretFile(
                                        "org-key",
                                        "PEM-CONTENT-1"
                                                .getBytes(
                                                        java.nio.charset.StandardCharsets
                                                                .US_ASCII)),
                                CredentialValue.secretText("org-key-password", "pw-1")));
        io.imagegate.api.VetSpec spec = p.spec(values, p.bindings());
        assertThat(spec.signingKey()).as("no file: the key stays in memory").isNull();
        assertThat(spec.signingKeyContent().name()).isEqualTo("credential 'org-key'");
        assertThat(spec.signingKeyContent().pem().reveal()).isEqualTo("PEM-CONTENT-1");
        assertThat(spec.toString()).doesNotContain("PEM-CONTENT-1");
        assertThat(
                        p.variables(
                                java.util.Map.of(
                                        "PATH",
                                        "/bin",
                                        "IMAGEGATE_SIGNING_KEY_PASSWORD",
                                        "from-the-build"),
                                values))
                .containsEntry("IMAGEGATE_SIGNING_KEY_PASSWORD", "pw-1")
                .containsEntry("PATH", "/bin");
        VetParameters unsigned = new VetParameters("alpine");
        assertThat(unsigned.variables(java.util.Map.of("PATH", "/bin"), values))
                .isEqualTo(java.util.Map.of("PATH", "/bin"));

        // fail closed: work that should sign, given no key, refuses rather than record the verdict
        // unsigned
        assertThatThrownBy(() -> p.spec(CredentialValues.of(List.of()), p.bindings()))
                .isInstanceOf(io.imagegate.message.ImageGateException.class)
                .hasMessageContaining("were not looked up");

        VetParameters passwordOnly = new VetParameters("alpine");
        passwordOnly.setTarget("r.example/a:1");
        passwordOnly.setSigningKeyPasswordCredentialsId("org-key-password");
        assertThat(passwordOnly.problem())
                .contains(
                        "a signing key password (signingKeyPasswordCredentialsId) needs the signing key"
                                + " (signingKeyCredentialsId)");
    }

    @Test
    void verifyKeysReachTheGatesSpec() {
        GateParameters gate = new GateParameters(List.of("Dockerfile"), List.of("r.example/base"));
        gate.setRequireVetted(true);
        gate.setVerifyKeys(java.util.Arrays.asList("keys/org.pub", null, "keys/next.pub"));
        assertThat(gate.getVerifyKeys()).containsExactly("keys/org.pub", "keys/next.pub");
        assertThat(gate.problem()).isEmpty();
        assertThat(gate.spec(CredentialValues.none(), gate.bindings()).verifyKeys())
                .containsExactly("keys/org.pub", "keys/next.pub");
        assertThat(gate.credentialUses())
                .as("public keys are files in the workspace, no credentials")
                .isEmpty();
    }

    /**
     * The attack: the image comes from a build parameter; the credentials stay with the registry
     * they are bound to.
     */
    @Test
    void aRoleCredentialForAnotherRegistryIsNeitherLookedUpNorSent() {
        VetParameters p = new VetParameters("their.example/x:1");
        p.setTarget("r.example/a:1");
        p.setSourceCredentialsId("docker.io=hub");
        p.setTargetCredentialsId("r.example=push");
        assertThat(p.problem()).isEmpty();
        assertThat(p.credentialUses()).extracting(CredentialUse::id).containsExactly("push");
        StepParameters.Bindings bindings = p.bindings();
        assertThat(bindings.roles())
                .containsOnlyKeys(io.imagegate.message.Field.TARGET_CREDENTIALS);
        assertThat(bindings.notes())
                .extracting(m -> m.render(JenkinsVocabulary.INSTANCE))
                .containsExactly(
                        "source their.example/x:1 is on"
                                + " their.example, not on docker.io (sourceCredentialsId docker.io=hub): its credentials are not sent there");
        CredentialValues values =
                CredentialValues.of(
                        List.of(
                                CredentialValue.usernamePassword("hub", "u", "hub-secret", true),
                                CredentialValue.usernamePassword(
                                        "push", "u", "push-secret", true)));
        io.imagegate.api.VetSpec spec = (io.imagegate.api.VetSpec) p.spec(values, bindings);
        assertThat(spec.sourceCredentials()).isNull();
        assertThat(spec.targetCredentials()).isNotNull();

        // a target derived from mapping rules is checked where the rules put it
        ImportParameters mapped = new ImportParameters("alpine:3.20");
        mapped.setMap(List.of("=their.example/mirror"));
        mapped.setTargetCredentialsId("r.example=push");
        assertThat(mapped.credentialUses()).isEmpty();
        assertThat(mapped.bindings().notes())
                .extracting(m -> m.render(JenkinsVocabulary.INSTANCE))
                .containsExactly(
                        "target"
                                + " their.example/mirror/docker.io/library/alpine:3.20 is on their.example, not on r.example (targetCredentialsId"
                                + " r.example=push): its credentials are not sent there");
    }

    @Test
    void registriesMatchExactlyAfterNormalisation() {
        // Docker Hub's aliases are docker.io, as references name it
        for (String hub :
                List.of("docker.io", "index.docker.io", "registry-1.docker.io", "DOCKER.IO")) {
            ImportParameters p = new ImportParameters("alpine:3.20");
            p.setTarget("r.example/a:1");
            p.setSourceCredentialsId(hub + "=hub");
            assertThat(p.credentialUses())
                    .as(hub)
                    .extracting(CredentialUse::id)
                    .containsExactly("hub");
        }
        // another name of the same host is another registry, and so is another port
        for (String[] other :
                List.of(
                        new String[] {"localhost:5000/x:1", "127.0.0.1:5000=push"},
                        new String[] {"r.example/x:1", "r.example:443=push"},
                        new String[] {"r.example.evil/x:1", "r.example=push"})) {
            ImportParameters p = new ImportParameters(other[0]);
            p.setTarget("r2.example/a:1");
            p.setSourceCredentialsId(other[1]);
            assertThat(p.credentialUses()).as(other[0]).isEmpty();
        }
        // a bare host's credentials would serve every port of it: an image on another port of it is
        // refused
        ScanParameters scan = new ScanParameters("r.example:8443/x:1");
        scan.setRegistryCredentials(List.of("r.example=push"));
        assertThat(scan.problem())
                .contains(
                        "image r.example:8443/x:1 is on r.example:8443, another port of r.example: the credentials"
                                + " bound to r.example would reach it; bind r.example:8443 itself, or name an image on r.example");
        ImportParameters port = new ImportParameters("r.example:8443/x:1");
        port.setTarget("r.example/a:1");
        port.setTargetCredentialsId("r.example=push");
        assertThat(port.problem())
                .hasValueSatisfying(
                        m ->
                                assertThat(m)
                                        .startsWith(
                                                "source r.example:8443/x:1 is on r.example:8443,"));
        scan.setRegistryCredentials(List.of("r.example=push", "r.example:8443=other"));
        assertThat(scan.problem()).isEmpty();
    }

    @Test
    void anUnboundCredentialIdIsRefusedWithTheFormToWrite() {
        VetParameters p = new VetParameters("alpine:3.20");
        p.setTarget("r.example/a:1");
        p.setSourceCredentialsId("dockerhub");
        assertThat(p.problem())
                .contains(
                        "sourceCredentialsId must name the registry its credentials are for: REGISTRY=…, e.g."
                                + " docker.io=dockerhub (as registryCredentials does); credentials are bound to a registry so that an image named by a"
                                + " parameter cannot send them to another host");
        p.setSourceCredentialsId("https://index.docker.io/v1/=dockerhub");
        assertThat(p.problem())
                .contains(
                        "\"https://index.docker.io/v1/\" (sourceCredentialsId) is not a registry: write it as"
                                + " host[:port] without a scheme or path, e.g. docker.io=dockerhub");
        ScanParameters scan = new ScanParameters("alpine");
        scan.setRegistryCredentials(List.of("registry.example.com=registry-push", "=id"));
        assertThat(scan.problem())
                .hasValueSatisfying(
                        m ->
                                assertThat(m)
                                        .startsWith(
                                                "\"=id\" (registryCredentials) must be"
                                                        + " REGISTRY=CREDENTIALS_ID"));
    }

    @Test
    void theModelListsRequiredParametersFirstThenTheRestAlphabetically() {
        assertThat(ParameterModel.of(StepKind.GATE))
                .extracting(ParameterModel.Parameter::name)
                .containsExactly(
                        "files",
                        "trusted",
                        "anonymousRegistries",
                        "anyPolicy",
                        "buildArgs",
                        "caFile",
                        "failOnError",
                        "insecureRegistries",
                        "map",
                        "platforms",
                        "policy",
                        "quarantine",
                        "registryCredentials",
                        "requireDigest",
                        "requireVetted",
                        "unstable",
                        "verifyKeys");
        assertThat(ParameterModel.of(StepKind.GATE).get(0).typeName()).isEqualTo("List<String>");
        assertThat(ParameterModel.find(StepKind.IMPORT, "parallel").orElseThrow().typeName())
                .isEqualTo("int");
        assertThat(ParameterModel.find(StepKind.IMPORT, "unstable"))
                .as("an import never fails by policy")
                .isEmpty();
        StepParameters created =
                ParameterModel.instantiate(
                        StepKind.REWRITE, java.util.Map.of("files", List.of("Dockerfile")));
        assertThat(((RewriteParameters) created).getFiles()).containsExactly("Dockerfile");
        assertThat(((RewriteParameters) created).getMap()).isEmpty();
    }
}
