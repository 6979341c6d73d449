package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.api.GateResult;
import io.imagegate.api.GateSpec;
import io.imagegate.api.ImageGate;
import io.imagegate.api.Outcome;
import io.imagegate.api.ProgressListener;
import io.imagegate.api.ScanResult;
import io.imagegate.api.ScanSpec;
import io.imagegate.api.VerdictSpec;
import io.imagegate.api.VetResult;
import io.imagegate.api.VetSpec;
import io.imagegate.copy.ImportListener;
import io.imagegate.message.Message;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Platform;
import io.imagegate.policy.CanonicalPolicy;
import io.imagegate.policy.Policy;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.RemoteRepository;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.testing.Cosign;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policies as people write and keep them, vetted and gated against the real registry, the real
 * Trivy and the fixture DB: a policy rewritten without a change of meaning (a comment, CRLF line
 * endings, another order or spelling) keeps its verdicts, a change of meaning does not, verdicts
 * recorded under a file's bytes (before canonical digests) still count, image globs written for the
 * trusted name hold in a vet, and allowEmptyScan allows one image, not all.
 */
@NeedsComponents
class PolicyAsWrittenTest {
    static final String PASSWORD = "policy-Identity-456";

    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    static final ObjectMapper JSON = new ObjectMapper();
    static TestImages.Image clean;
    static TestImages.Image vulnerable;
    static TestImages.Image empty;
    static TestImages.Image otherEmpty;

    @TempDir static Path keys;
    static Cosign.KeyPair org;

    @TempDir Path dir;

    /**
     * Lets the fixture DB's CVE-2099-0001 (CRITICAL, openssl) through, and ignores unfixed ones.
     */
    static final String POLICY =
            """
            # the team's policy
            failOn: HIGH
            ignoreUnfixed: true
            maxVerdictAge: 7d
            allowlist:
              - id: CVE-2099-0001
                package: openssl
                reason: not reachable in our use
                expires: 2099-12-31
            """;

    @BeforeAll
    static void images() {
        clean = TestImages.cleanAlpine();
        vulnerable = TestImages.vulnerableAlpine();
        // no package Trivy knows in either: a scan finds nothing to check
        empty = TestImages.randomImage(11, Platform.parse("linux/amd64"), 2048, true);
        otherEmpty = TestImages.randomImage(12, Platform.parse("linux/amd64"), 2048, true);
        ImagePusher pusher = new ImagePusher(upstream);
        pusher.push("library/clean", "1", clean);
        pusher.push("library/vulnerable", "1", vulnerable);
        pusher.push("docker/dockerfile", "1", empty);
        pusher.push("library/static", "1", otherEmpty);
        org = Cosign.generateKeyPair(keys, PASSWORD);
    }

    private String up(String path) {
        return upstream.hostPort() + "/" + path;
    }

    private String priv(String path) {
        return registry.hostPort() + "/" + path;
    }

    private ImageGate api() {
        return ImageGate.create(
                TestSettings.in(dir, Map.of("IMAGEGATE_SIGNING_KEY_PASSWORD", PASSWORD)));
    }

    private Path policy(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private VetResult vet(String source, String target, Path policy, boolean signed) {
        VetSpec.Builder spec =
                VetSpec.builder()
                        .source(source)
                        .target(target)
                        .policy(policy.toString())
                        .trivy(FixtureVulnerabilityDb.offlineTrivy());
        if (signed) {
            spec.signingKey(org.privateKey().toString());
        }
        return api().vet(spec.build(), ProgressListener.NONE);
    }

    private GateResult gate(String image, Path policy, boolean verify) throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + image + "\n");
        return api().gate(
                        GateSpec.builder()
                                .files(List.of("Dockerfile"))
                                .trusted(List.of(registry.hostPort()))
                                .requireVetted(true)
                                .policy(policy.toString())
                                .verifyKeys(
                                        verify ? List.of(org.publicKey().toString()) : List.of())
                                .build());
    }

    /** The code of the vetting reason of the one violation, or null when the gate passed. */
    private static String reasonCode(GateResult result) {
        if (result.outcome() == Outcome.PASSED) {
            return null;
        }
        assertThat(result.violations()).as(result.toString()).hasSize(1);
        return result.violations().get(0).reason().args().stream()
                .filter(a -> a instanceof Message)
                .map(a -> ((Message) a).code())
                .findFirst()
                .orElse(result.violations().get(0).reason().code());
    }

    private JsonNode document(String image) throws IOException {
        return JSON.readTree(api().verdicts(new VerdictSpec(image)).verdicts().get(0).document());
    }

    /** The same policy, written as a Windows checkout, another editor or another person would. */
    private List<Path> sameMeaning() throws IOException {
        return List.of(
                policy("comment.yaml", POLICY + "# reviewed 2025-06-01\n"),
                policy("crlf.yaml", POLICY.replace("\n", "\r\n")),
                policy(
                        "reordered.yaml",
                        """
                        allowlist: [{expires: 2099-12-31, reason: not reachable in our use,
                                     package: openssl, id: CVE-2099-0001}]
                        maxVerdictAge: 168h
                        ignoreUnfixed: true
                        failOn: high
                        allowEmptyScan: false
                        """),
                policy(
                        "policy.json",
                        """
                        {"failOn": "HIGH", "ignoreUnfixed": true, "maxVerdictAge": "P7D",
                         "allowlist": [{"id": "CVE-2099-0001", "package": "openssl",
                           "reason": "not reachable in our use", "expires": "2099-12-31"}]}
                        """));
    }

    /** The same policy with another meaning: a stricter threshold, one more allowlist entry. */
    private List<Path> otherMeaning() throws IOException {
        return List.of(
                policy("stricter.yaml", POLICY.replace("failOn: HIGH", "failOn: MEDIUM")),
                policy(
                        "more.yaml",
                        POLICY
                                + "  - id: CVE-2099-0042\n"
                                + "    reason: another acceptance\n"
                                + "    expires: 2099-12-31\n"));
    }

    @Test
    void aPolicyRewrittenWithoutAChangeOfMeaningKeepsItsVerdicts() throws IOException {
        Path policy = policy("policy.yaml", POLICY);
        String target = priv("same/vulnerable:1");
        VetResult vetted = vet(up("library/vulnerable:1"), target, policy, false);
        assertThat(vetted.outcome()).as(vetted.toString()).isEqualTo(Outcome.PASSED);
        JsonNode recorded = document(target);
        assertThat(recorded.path("policy").path("digest").asText())
                .isEqualTo(Policy.load(policy).digest());
        assertThat(recorded.path("policy").path("form").asText()).isEqualTo(CanonicalPolicy.FORM);

        for (Path rewritten : sameMeaning()) {
            assertThat(reasonCode(gate(target, rewritten, false)))
                    .as(rewritten.getFileName().toString())
                    .isNull();
        }
        // a vet under the CRLF copy finds the image vetted: nothing copied or scanned
        VetResult again = vet(up("library/vulnerable:1"), target, sameMeaning().get(1), false);
        assertThat(again.alreadyVetted()).as(again.toString()).isTrue();

        for (Path changed : otherMeaning()) {
            assertThat(reasonCode(gate(target, changed, false)))
                    .as(changed.getFileName().toString())
                    .isEqualTo("vetting.other-policy");
        }
    }

    /**
     * A signed verdict binds the policy's identity: the gate that verifies signatures counts it
     * under every spelling of the policy, and under no other policy.
     */
    @Test
    void aSignedVerdictCountsUnderThePolicyAsRewrittenAndUnderNoOther() throws IOException {
        Path policy = policy("policy.yaml", POLICY);
        String target = priv("signed/clean:1");
        VetResult vetted = vet(up("library/clean:1"), target, policy, true);
        assertThat(vetted.outcome()).as(vetted.toString()).isEqualTo(Outcome.PASSED);
        assertThat(reasonCode(gate(target, policy, true))).isNull();
        for (Path rewritten : sameMeaning()) {
            assertThat(reasonCode(gate(target, rewritten, true)))
                    .as(rewritten.getFileName().toString())
                    .isNull();
        }
        for (Path changed : otherMeaning()) {
            assertThat(reasonCode(gate(target, changed, true)))
                    .as(changed.getFileName().toString())
                    .isEqualTo("vetting.other-policy");
        }
    }

    /**
     * A verdict recorded before canonical digests names the digest of the policy file's bytes: it
     * still counts under that very file (so nothing turns red on upgrade), not under a rewritten
     * one, and the next vet under the policy supersedes it.
     */
    @Test
    void aVerdictRecordedUnderTheFilesBytesStillCountsUnderThatFile() throws IOException {
        Path policy = policy("policy.yaml", POLICY);
        String target = priv("legacy/clean:1");
        new ImagePusher(registry).push("legacy/clean", "1", clean);
        try (RegistryClient client =
                new RegistryClient(
                        TransportOptions.defaults(),
                        CredentialProvider.anonymous(),
                        ImportListener.NONE)) {
            RemoteRepository repository = client.push(ImageReference.parse(target));
            Descriptor subject = repository.headManifest("1").orElseThrow();
            // as versions before canonical digests wrote it: the file's digest, no form
            VerdictArtifact old =
                    HostileVerdictsTest.artifact(
                            subject,
                            HostileVerdictsTest.document(
                                    subject,
                                    target,
                                    "PASS",
                                    Policy.load(policy).fileDigest(),
                                    Instant.now().minusSeconds(60),
                                    "quarantine/legacy/clean",
                                    List.of()));
            old.pushBlobs(repository);
            VerdictReferrers.push(repository, List.of(old.manifest()), Set.of());
        }
        assertThat(reasonCode(gate(target, policy, false))).isNull();
        assertThat(reasonCode(gate(target, sameMeaning().get(1), false)))
                .as("its bytes changed: the old verdict named them")
                .isEqualTo("vetting.other-policy");
        // vetting finds it vetted under the same file, as the gate does
        assertThat(vet(up("library/clean:1"), target, policy, false).alreadyVetted()).isTrue();
    }

    /**
     * docs/scan.md's example policy, whose allowlist entry is written for the trusted name: {@code
     * scan} of the trusted name and {@code vet} into it (which scans the quarantine copy) judge
     * alike.
     */
    @Test
    void theDocumentedExamplePolicyPassesBothScanAndVetOfTheTrustedName() throws IOException {
        String doc = Files.readString(FixtureVulnerabilityDb.projectRoot().resolve("docs/scan.md"));
        int start = doc.indexOf("```yaml\n") + "```yaml\n".length();
        String example = doc.substring(start, doc.indexOf("```", start));
        assertThat(example).contains("image: \"registry.example.com/base/*\"");
        Path policy =
                policy(
                        "example.yaml",
                        example.replace("registry.example.com", registry.hostPort())
                                .replace("CVE-2024-1234", "CVE-2099-0001"));
        String target = priv("base/vulnerable:1");

        VetResult vetted = vet(up("library/vulnerable:1"), target, policy, false);
        assertThat(vetted.outcome()).as(vetted.toString()).isEqualTo(Outcome.PASSED);
        assertThat(document(target).path("allowlisted"))
                .singleElement()
                .satisfies(a -> assertThat(a.path("id").asText()).isEqualTo("CVE-2099-0001"));
        ScanResult scanned =
                api().scan(
                                ScanSpec.of(
                                        target,
                                        policy.toString(),
                                        null,
                                        FixtureVulnerabilityDb.offlineTrivy()),
                                ProgressListener.NONE);
        assertThat(scanned.outcome()).as(scanned.toString()).isEqualTo(Outcome.PASSED);
        // outside the glob, the same image fails: the entry is for base/ only
        VetResult elsewhere =
                vet(up("library/vulnerable:1"), priv("apps/vulnerable:1"), policy, false);
        assertThat(elsewhere.outcome()).isEqualTo(Outcome.POLICY_FAILED);
    }

    /**
     * allowEmptyScan per image: the image the entry names is vetted with the entry's reason in its
     * verdict; another image that scans empty still fails.
     */
    @Test
    void anEmptyScanIsAllowedForTheImageTheEntryNamesOnly() throws IOException {
        Path policy =
                policy(
                        "frontend.yaml",
                        """
                        allowEmptyScan:
                          - image: "%s/base/dockerfile*"
                            reason: BuildKit's Dockerfile frontend, a static binary
                        """
                                .formatted(registry.hostPort()));
        String target = priv("base/dockerfile:1");
        VetResult frontend = vet(up("docker/dockerfile:1"), target, policy, false);
        assertThat(frontend.outcome()).as(frontend.toString()).isEqualTo(Outcome.PASSED);
        JsonNode recorded = document(target);
        assertThat(
                        com.networknt.schema.JsonSchemaFactory.getInstance(
                                        com.networknt.schema.SpecVersion.VersionFlag.V202012)
                                .getSchema(
                                        Files.readString(
                                                FixtureVulnerabilityDb.projectRoot()
                                                        .resolve("docs/verdict-v1.schema.json")))
                                .validate(recorded))
                .as("schema violations")
                .isEmpty();
        JsonNode allowed = recorded.path("platforms").get(0).path("emptyScanAllowed");
        assertThat(allowed.path("reason").asText())
                .isEqualTo("BuildKit's Dockerfile frontend, a static binary");
        assertThat(allowed.path("image").asText())
                .isEqualTo(registry.hostPort() + "/base/dockerfile*");
        assertThat(reasonCode(gate(target, policy, false))).isNull();

        VetResult other = vet(up("library/static:1"), priv("base/static:1"), policy, false);
        assertThat(other.outcome()).isEqualTo(Outcome.POLICY_FAILED);
        assertThat(other.lines()).anySatisfy(l -> assertThat(l).contains("nothing was checked"));
    }
}
