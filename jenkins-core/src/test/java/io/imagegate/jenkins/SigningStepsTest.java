package io.imagegate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.Outcome;
import io.imagegate.oci.Platform;
import io.imagegate.testing.Cosign;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TempDirs;
import io.imagegate.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed verdicts through the steps: imagegateVet signs with a key from a secret file credential (a
 * key cosign generated) and its password from a secret text credential, imagegateGate verifies with
 * verifyKeys from the workspace; a wrong or missing password is a clear step error; neither key nor
 * password reaches the console, the message, the map, the summary row, the reports, the workspace
 * or the temporary directory.
 */
@NeedsComponents
class SigningStepsTest {
    private static final String PASSWORD = "org-Key-Passw0rd";

    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    static Cosign.KeyPair org;
    static Cosign.KeyPair other;
    static String clean;

    @TempDir Path workspace;

    final List<String> console = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void setUp() {
        TestImages.Image image =
                TestImages.alpine(
                        Platform.parse("linux/amd64"),
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r30", "busybox"}));
        new ImagePusher(registry).push("public/clean", "1", image);
        clean = registry.hostPort() + "/public/clean:1";
        Path keys = TempDirs.create("imagegate-jenkins-keys-");
        org = Cosign.generateKeyPair(keys, "org", PASSWORD);
        other = Cosign.generateKeyPair(keys, "other", "other-Passw0rd");
    }

    private Path temp;

    /**
     * As Jenkins names it (workspace@tmp), in a directory deleted at exit: beside the @TempDir it
     * would stay behind.
     */
    private Path temp() {
        if (temp == null) {
            temp =
                    TempDirs.create("imagegate-jenkins-tmp-")
                            .resolve(workspace.getFileName() + "@tmp");
        }
        return temp;
    }

    private StepResult run(StepParameters parameters, CredentialValue... credentials) {
        Path home = TempDirs.create("imagegate-jenkins-home-");
        AgentRequest request =
                new AgentRequest(
                        parameters,
                        CredentialValues.of(List.of(credentials)),
                        Map.of("PATH", System.getenv("PATH")),
                        temp().toString());
        return AgentWork.run(request, workspace, home.toString(), console::add);
    }

    private static int manifestStatus(String repository) {
        try {
            java.net.http.HttpRequest head =
                    java.net.http.HttpRequest.newBuilder(
                                    registry.baseUri()
                                            .resolve("/v2/" + repository + "/manifests/1"))
                            .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                            .header(
                                    "Accept",
                                    "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json")
                            .build();
            return java.net.http.HttpClient.newHttpClient()
                    .send(head, java.net.http.HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CredentialValue keyFile(Cosign.KeyPair pair) throws IOException {
        return CredentialValue.secretFile("org-key", Files.readAllBytes(pair.privateKey()));
    }

    private static VetParameters vet(String target) {
        VetParameters p = new VetParameters(clean);
        p.setTarget(target);
        p.setCacheDir(FixtureVulnerabilityDb.cacheDir().toString());
        p.setSkipDbUpdate(true);
        p.setSkipJavaDbUpdate(true);
        p.setOfflineScan(true);
        p.setReportDir("reports/vet");
        p.setSigningKeyCredentialsId("org-key");
        p.setSigningKeyPasswordCredentialsId("org-key-password");
        return p;
    }

    private GateParameters gate(String trusted, String... verifyKeys) throws IOException {
        Files.writeString(workspace.resolve("Dockerfile"), "FROM " + trusted + "/clean:1\n");
        GateParameters p = new GateParameters(List.of("Dockerfile"), List.of(trusted));
        p.setRequireVetted(true);
        p.setVerifyKeys(List.of(verifyKeys));
        return p;
    }

    @Test
    void aVetSignedWithACredentialsKeyPassesAGateThatVerifiesItAndNoOtherKey() throws IOException {
        String trusted = registry.hostPort() + "/signed";
        StepResult vetted =
                run(
                        vet(trusted + "/clean:1"),
                        keyFile(org),
                        CredentialValue.secretText("org-key-password", PASSWORD));
        assertThat(vetted.outcome()).as(vetted.message()).isEqualTo(Outcome.PASSED);
        assertThat(vetted.values())
                .containsEntry("verdict", "PASS")
                .containsEntry("promoted", true);

        // cosign itself verifies what the step signed
        io.imagegate.testing.ToolProcess.Run cosign =
                Cosign.attempt(
                        null,
                        Map.of(),
                        "verify-attestation",
                        "--key",
                        org.publicKey().toString(),
                        "--type",
                        "https://imagegate.io/attestations/verdict/v1",
                        "--insecure-ignore-tlog",
                        "--allow-http-registry",
                        trusted + "/clean:1");
        assertThat(cosign.exitCode()).as(cosign.output()).isZero();

        Files.createDirectories(workspace.resolve("keys"));
        Files.copy(org.publicKey(), workspace.resolve("keys/org.pub"));
        Files.copy(other.publicKey(), workspace.resolve("keys/other.pub"));
        StepResult verified = run(gate(trusted, "keys/org.pub"));
        assertThat(verified.outcome()).as(verified.message()).isEqualTo(Outcome.PASSED);
        assertThat(console).anyMatch(l -> l.contains("(verdict signatures verified)"));
        // rotation: either of two listed keys
        assertThat(run(gate(trusted, "keys/other.pub", "keys/org.pub")).outcome())
                .isEqualTo(Outcome.PASSED);

        StepResult unlisted = run(gate(trusted, "keys/other.pub"));
        assertThat(unlisted.outcome()).as(unlisted.message()).isEqualTo(Outcome.POLICY_FAILED);
        @SuppressWarnings("unchecked")
        Map<String, Object> violation =
                ((List<Map<String, Object>>) unlisted.values().get("violations")).get(0);
        assertThat(violation.get("reason").toString())
                .contains("is signed by a key that is not listed");

        StepResult missingKey = run(gate(trusted, "keys/missing.pub"));
        assertThat(missingKey.outcome())
                .as("a key that cannot be loaded is an error, never no key")
                .isEqualTo(Outcome.ERROR);
        assertThat(missingKey.message()).startsWith("imagegateGate: ").contains("verifyKeys");
    }

    @Test
    void aWrongOrMissingPasswordIsAClearStepErrorAndNothingIsRecorded() throws IOException {
        String target = registry.hostPort() + "/wrong/clean:1";
        StepResult wrong =
                run(
                        vet(target),
                        keyFile(org),
                        CredentialValue.secretText("org-key-password", "not-the-password"));
        assertThat(wrong.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(wrong.result()).isEqualTo(BuildResult.FAILURE);
        assertThat(wrong.message())
                .isEqualTo(
                        "imagegateVet: the password does not open the signing key credential 'org-key'"
                                + " (signingKeyCredentialsId); check signingKeyPasswordCredentialsId");
        assertThat(manifestStatus("wrong/clean")).as("nothing recorded").isEqualTo(404);
        assertThat(manifestStatus("quarantine/wrong/clean")).as("nothing copied").isEqualTo(404);

        VetParameters noPassword = vet(target);
        noPassword.setSigningKeyPasswordCredentialsId(null);
        StepResult missing = run(noPassword, keyFile(org));
        assertThat(missing.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(missing.message())
                .isEqualTo(
                        "imagegateVet: credential 'org-key' (signingKeyCredentialsId) is encrypted and no"
                                + " password is given; give it with signingKeyPasswordCredentialsId");

        StepResult notAKey =
                run(
                        vet(target),
                        CredentialValue.secretFile("org-key", Files.readAllBytes(org.publicKey())),
                        CredentialValue.secretText("org-key-password", PASSWORD));
        assertThat(notAKey.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(notAKey.message())
                .startsWith(
                        "imagegateVet: credential 'org-key' (signingKeyCredentialsId) is not an ECDSA P-256"
                                + " private key");
    }

    /**
     * The secrets sweep: the key's content and its password appear nowhere the step writes, and no
     * copy of the key is left.
     */
    @Test
    void neitherTheKeyNorItsPasswordIsInTheLogTheResultTheReportsOrAnyFile() throws IOException {
        String key = Files.readString(org.privateKey());
        List<String> keyParts = new ArrayList<>();
        key.lines().filter(l -> !l.startsWith("-----") && l.length() >= 16).forEach(keyParts::add);
        assertThat(keyParts).isNotEmpty();

        StringBuilder everything = new StringBuilder();
        StepResult signed =
                run(
                        vet(registry.hostPort() + "/sweep/clean:1"),
                        keyFile(org),
                        CredentialValue.secretText("org-key-password", PASSWORD));
        assertThat(signed.outcome()).as(signed.message()).isEqualTo(Outcome.PASSED);
        everything.append(signed.message()).append(signed.values()).append(signed.row());
        StepResult wrong =
                run(
                        vet(registry.hostPort() + "/sweep/wrong:1"),
                        keyFile(org),
                        CredentialValue.secretText("org-key-password", "Wrong-" + PASSWORD));
        everything.append(wrong.message()).append(wrong.values()).append(wrong.row());
        everything.append(String.join("\n", console));
        for (Path root : List.of(workspace, temp())) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    everything.append(file).append('\n').append(Files.readString(file));
                }
            }
        }
        assertThat(workspace.resolve("reports/vet"))
                .as("the reports are searched too")
                .isDirectoryContaining("glob:**.json");
        assertThat(everything)
                .doesNotContain(PASSWORD)
                .doesNotContain("Wrong-" + PASSWORD)
                .doesNotContain("ENCRYPTED SIGSTORE");
        for (String part : keyParts) {
            assertThat(everything).doesNotContain(part);
        }
        // and the request itself never shows them
        AgentRequest request =
                new AgentRequest(
                        vet("r.example/a:1"),
                        CredentialValues.of(
                                List.of(
                                        keyFile(org),
                                        CredentialValue.secretText("org-key-password", PASSWORD))),
                        Map.of(),
                        null);
        assertThat(request.toString()).doesNotContain(PASSWORD).doesNotContain(keyParts.get(0));
    }
}
