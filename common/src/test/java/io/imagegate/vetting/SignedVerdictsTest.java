package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.api.ImageGate;
import io.imagegate.api.Outcome;
import io.imagegate.api.ProgressListener;
import io.imagegate.api.VetResult;
import io.imagegate.api.VetSpec;
import io.imagegate.message.ErrorKind;
import io.imagegate.testing.Cosign;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.GgcrRegistry;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.Oras;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import io.imagegate.testing.ToolProcess;
import io.imagegate.trust.VerdictAttestation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed verdicts as cosign sees them: vet signs with a key cosign generated, and the real cosign
 * verifies the promoted image's verdict attestation, on the Debian registry (referrers tag schema)
 * and on go-containerregistry's (referrers API).
 */
@NeedsComponents
class SignedVerdictsTest {
    static final String PASSWORD = "signing-Secret-789";

    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();
    static GgcrRegistry ggcr;

    @TempDir static Path keys;
    static Cosign.KeyPair org;
    static Path cache;

    @TempDir Path dir;

    @BeforeAll
    static void setUp() {
        cache = FixtureVulnerabilityDb.cacheDir();
        TestImages.Image clean = TestImages.cleanAlpine();
        new ImagePusher(upstream).push("library/clean", "1", clean);
        org = Cosign.generateKeyPair(keys, PASSWORD);
        ggcr = new GgcrRegistry();
    }

    @AfterAll
    static void stop() {
        ggcr.close();
    }

    private VetResult vetSigned(String target, Map<String, String> environment) {
        return ImageGate.create(TestSettings.in(dir, environment))
                .vet(
                        VetSpec.builder()
                                .source(upstream.hostPort() + "/library/clean:1")
                                .target(target)
                                .signingKey(org.privateKey().toString())
                                .trivy(FixtureVulnerabilityDb.offlineTrivy())
                                .build(),
                        ProgressListener.NONE);
    }

    private static ToolProcess.Run verifyAttestation(String image) {
        return Cosign.attempt(
                null,
                Map.of(),
                "verify-attestation",
                "--key",
                org.publicKey().toString(),
                "--type",
                VerdictAttestation.PREDICATE_TYPE,
                "--insecure-ignore-tlog",
                "--allow-http-registry",
                image);
    }

    @Test
    void cosignVerifiesTheAttestationOfAPromotedImage() throws Exception {
        String target = registry.hostPort() + "/signed/clean:1";
        VetResult result = vetSigned(target, Map.of("IMAGEGATE_SIGNING_KEY_PASSWORD", PASSWORD));
        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.PASSED);

        ToolProcess.Run run = verifyAttestation(target);
        assertThat(run.exitCode()).as(run.output()).isZero();
        JsonNode envelope =
                new ObjectMapper()
                        .readTree(
                                run.output()
                                        .lines()
                                        .filter(l -> l.startsWith("{"))
                                        .findFirst()
                                        .orElseThrow());
        JsonNode statement =
                new ObjectMapper()
                        .readTree(
                                java.util.Base64.getDecoder()
                                        .decode(envelope.path("payload").asText()));
        assertThat(statement.path("predicateType").asText())
                .isEqualTo(VerdictAttestation.PREDICATE_TYPE);
        assertThat(statement.path("subject").get(0).path("digest").path("sha256").asText())
                .isEqualTo(result.digest().substring(7));
        assertThat(statement.path("predicate").path("verdict").asText()).isEqualTo("PASS");
        // The quarantine copy carries the same attestation.
        assertThat(verifyAttestation(registry.hostPort() + "/quarantine/signed/clean:1").exitCode())
                .isZero();
        // The verdict artifact is unchanged beside it: ORAS finds it by its own type.
        assertThat(
                        Oras.run(
                                "discover",
                                "--plain-http",
                                "--format",
                                "json",
                                "--artifact-type",
                                "application/vnd.imagegate.verdict.v1+json",
                                target))
                .contains(io.imagegate.vetting.VerdictDocument.MEDIA_TYPE);
    }

    /**
     * What signing costs the registry (issue 21's budget: one manifest PUT per verdict): the same
     * vet unsigned and signed into fresh targets, the writes counted. Per verdict (one in
     * quarantine, one beside the trusted name), signing adds the bundle's upload (POST and PUT: it
     * is new by construction, so nothing asks first) and its manifest's PUT.
     */
    @Test
    void signingAddsOneManifestPutAndTheBundlesUploadPerVerdict() {
        registry.clearRequests();
        VetResult unsigned =
                ImageGate.create(TestSettings.in(dir))
                        .vet(
                                VetSpec.builder()
                                        .source(upstream.hostPort() + "/library/clean:1")
                                        .target(registry.hostPort() + "/cost/unsigned:1")
                                        .trivy(FixtureVulnerabilityDb.offlineTrivy())
                                        .build(),
                                ProgressListener.NONE);
        assertThat(unsigned.outcome()).isEqualTo(Outcome.PASSED);
        java.util.List<io.imagegate.testing.RegistryRequest> before = registry.awaitRequests();
        registry.clearRequests();
        VetResult signed =
                vetSigned(
                        registry.hostPort() + "/cost/signed:1",
                        Map.of("IMAGEGATE_SIGNING_KEY_PASSWORD", PASSWORD));
        assertThat(signed.outcome()).isEqualTo(Outcome.PASSED);
        java.util.List<io.imagegate.testing.RegistryRequest> after = registry.awaitRequests();

        java.util.function.Function<java.util.List<io.imagegate.testing.RegistryRequest>, Long>
                manifestPuts =
                        requests ->
                                requests.stream()
                                        .filter(r -> r.method().equals("PUT") && r.isManifest())
                                        .count();
        java.util.function.Function<java.util.List<io.imagegate.testing.RegistryRequest>, Long>
                all = requests -> requests.stream().filter(r -> !r.path().equals("/v2/")).count();
        int verdicts = 2;
        assertThat(manifestPuts.apply(after) - manifestPuts.apply(before)).isEqualTo(verdicts);
        assertThat(all.apply(after) - all.apply(before)).isEqualTo(3L * verdicts);
    }

    @Test
    void cosignVerifiesItOnARegistryWithTheReferrersApi() {
        String target = ggcr.hostPort() + "/signed/clean:1";
        VetResult result = vetSigned(target, Map.of("COSIGN_PASSWORD", PASSWORD));
        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.PASSED);
        ToolProcess.Run run = verifyAttestation(target);
        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    /** cosign's own attestation of {@code image}, with a predicate type of its own. */
    private void cosignAttest(String image) throws Exception {
        Path predicate =
                java.nio.file.Files.writeString(
                        dir.resolve("predicate.json"), "{\"note\":\"cosign was here\"}");
        Cosign.run(
                dir,
                Map.of("COSIGN_PASSWORD", PASSWORD),
                "attest",
                "--key",
                org.privateKey().toString(),
                "--type",
                COSIGN_TYPE,
                "--predicate",
                predicate.toString(),
                "--tlog-upload=false",
                "--use-signing-config=false",
                "--allow-http-registry",
                "--yes",
                image);
    }

    static final String COSIGN_TYPE = "https://example.com/cosign-note/v1";

    private io.imagegate.api.GateResult gate(String image) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("Dockerfile"), "FROM " + image + "\n");
        return ImageGate.create(TestSettings.in(dir))
                .gate(
                        io.imagegate.api.GateSpec.builder()
                                .files(List.of("Dockerfile"))
                                .trusted(List.of(registry.hostPort()))
                                .requireVetted(true)
                                .verifyKeys(List.of(org.publicKey().toString()))
                                .build());
    }

    @Test
    void cosignsOwnAttestationsAndImagegatesShareTheReferrersTagInBothOrders() throws Exception {
        // imagegate first, then cosign writes into the same sha256-<hex> index (this registry has
        // no referrers API)
        String first = registry.hostPort() + "/shared/imagegate-first:1";
        assertThat(vetSigned(first, Map.of("COSIGN_PASSWORD", PASSWORD)).outcome())
                .isEqualTo(Outcome.PASSED);
        cosignAttest(first);
        // cosign first, on the image already under the trusted name, then imagegate vets it there
        String second = registry.hostPort() + "/shared/cosign-first:1";
        TestImages.Image clean = TestImages.cleanAlpine();
        new ImagePusher(registry).push("shared/cosign-first", "1", clean);
        cosignAttest(second);
        assertThat(vetSigned(second, Map.of("COSIGN_PASSWORD", PASSWORD)).outcome())
                .isEqualTo(Outcome.PASSED);

        for (String image : List.of(first, second)) {
            assertThat(verifyAttestation(image).exitCode()).as(image).isZero();
            ToolProcess.Run own =
                    Cosign.attempt(
                            null,
                            Map.of(),
                            "verify-attestation",
                            "--key",
                            org.publicKey().toString(),
                            "--type",
                            COSIGN_TYPE,
                            "--insecure-ignore-tlog",
                            "--allow-http-registry",
                            image);
            assertThat(own.exitCode()).as(own.output()).isZero();
            assertThat(gate(image).outcome()).as(image).isEqualTo(Outcome.PASSED);
        }
    }

    @Test
    void aWrongPasswordIsOneErrorAndRecordsNothing() {
        String target = registry.hostPort() + "/signed/wrong:1";
        VetResult result =
                vetSigned(target, Map.of("IMAGEGATE_SIGNING_KEY_PASSWORD", "not-the-password"));
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.error().orElseThrow().kind()).isEqualTo(ErrorKind.CONFIGURATION);
        assertThat(result.error().orElseThrow().message().code())
                .isEqualTo("signing-key.wrong-password");
        assertThat(result.toString()).doesNotContain(PASSWORD).doesNotContain("not-the-password");
        ImagePusher check = new ImagePusher(registry);
        assertThat(check.manifestDigest("signed/wrong", "1")).isEmpty();
        assertThat(check.manifestDigest("quarantine/signed/wrong", "1")).isEmpty();
    }
}
