package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.api.GateResult;
import io.imagegate.api.GateSpec;
import io.imagegate.api.ImageGate;
import io.imagegate.api.Outcome;
import io.imagegate.api.ProgressListener;
import io.imagegate.api.StoredVerdict;
import io.imagegate.api.VerdictSpec;
import io.imagegate.api.VerdictsResult;
import io.imagegate.api.VetResult;
import io.imagegate.api.VetSpec;
import io.imagegate.copy.ImportListener;
import io.imagegate.message.Message;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Platform;
import io.imagegate.policy.Policy;
import io.imagegate.reference.Digest;
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
import io.imagegate.trust.Dsse;
import io.imagegate.trust.PublicKeys;
import io.imagegate.trust.SigstoreBundle;
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
 * Gates that verify verdict signatures, against every forgery of a verdict an attacker who can push
 * to the trusted repository (but holds no signing key) can make: each fails the gate with its own
 * reason. The once-valid bundles the forgeries start from are made by real vets, signed with keys
 * the real cosign generated.
 */
@NeedsComponents
class VerdictForgeryTest {
    static final String PASSWORD = "forgery-Secret-321";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Platform AMD64 = Platform.parse("linux/amd64");

    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    @TempDir static Path keys;
    static Cosign.KeyPair org;
    static Cosign.KeyPair rogue;
    static Path cache;
    static TestImages.Image clean;
    static TestImages.Image clean2;
    static TestImages.Image vulnerable;
    static Path otherPolicy;

    /**
     * What the real vets recorded: documents and their signed bundles, to be copied and altered.
     */
    static JsonNode passDoc;

    static SigstoreBundle passBundle;
    static JsonNode failDoc;
    static SigstoreBundle failBundle;
    static JsonNode otherPolicyDoc;
    static SigstoreBundle otherPolicyBundle;

    @TempDir Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        cache = FixtureVulnerabilityDb.cacheDir();
        clean = TestImages.cleanAlpine();
        clean2 =
                TestImages.alpine(
                        AMD64,
                        List.<String[]>of(new String[] {"busybox", "1.37.0-r31", "busybox"}));
        vulnerable = TestImages.vulnerableAlpine();
        ImagePusher pusher = new ImagePusher(upstream);
        pusher.push("library/clean", "1", clean);
        pusher.push("library/vulnerable", "1", vulnerable);
        org = Cosign.generateKeyPair(Files.createDirectories(keys.resolve("org")), PASSWORD);
        rogue = Cosign.generateKeyPair(Files.createDirectories(keys.resolve("rogue")), PASSWORD);
        otherPolicy = Files.writeString(keys.resolve("other-policy.yaml"), "failOn: CRITICAL\n");

        Path work = Files.createDirectories(keys.resolve("work"));
        assertThat(vetStatic(work, "library/clean:1", "legit/clean:1", org, null).outcome())
                .isEqualTo(Outcome.PASSED);
        passDoc = recorded("legit/clean", clean.digest()).document;
        passBundle = recorded("legit/clean", clean.digest()).bundle;
        assertThat(
                        vetStatic(work, "library/vulnerable:1", "legit/vulnerable:1", org, null)
                                .outcome())
                .isEqualTo(Outcome.POLICY_FAILED);
        failDoc = recorded("quarantine/legit/vulnerable", vulnerable.digest()).document;
        failBundle = recorded("quarantine/legit/vulnerable", vulnerable.digest()).bundle;
        assertThat(
                        vetStatic(work, "library/clean:1", "legit/other-policy:1", org, otherPolicy)
                                .outcome())
                .isEqualTo(Outcome.PASSED);
        otherPolicyDoc = recorded("legit/other-policy", clean.digest()).document;
        otherPolicyBundle = recorded("legit/other-policy", clean.digest()).bundle;
    }

    private record Recorded(JsonNode document, SigstoreBundle bundle) {}

    /**
     * The one verdict document and signed bundle recorded in {@code repository} for {@code digest}.
     */
    private static Recorded recorded(String repository, Digest digest) {
        try (RegistryClient client = client()) {
            RemoteRepository repo = client.pull(ImageReference.parse(priv(repository + ":x")));
            VerdictLookup.Found found = VerdictLookup.read(repo, digest);
            assertThat(found.attestations()).hasSize(1);
            VerdictLookup.Recorded verdict = found.verdicts().get(0);
            return new Recorded(
                    VerdictArtifact.document(repo, verdict.manifest(), digest).json(),
                    found.attestations().get(0).bundle().orElseThrow());
        }
    }

    private static String up(String path) {
        return upstream.hostPort() + "/" + path;
    }

    private static String priv(String path) {
        return registry.hostPort() + "/" + path;
    }

    private static RegistryClient client() {
        return new RegistryClient(
                TransportOptions.defaults(), CredentialProvider.anonymous(), ImportListener.NONE);
    }

    private static VetResult vetStatic(
            Path work, String source, String target, Cosign.KeyPair key, Path policy) {
        return ImageGate.create(TestSettings.in(work, Map.of("COSIGN_PASSWORD", PASSWORD)))
                .vet(
                        VetSpec.builder()
                                .source(up(source))
                                .target(priv(target))
                                .signingKey(key == null ? null : key.privateKey().toString())
                                .policy(policy == null ? null : policy.toString())
                                .trivy(FixtureVulnerabilityDb.offlineTrivy())
                                .build(),
                        ProgressListener.NONE);
    }

    private GateResult gate(String image, Path policy, Cosign.KeyPair... verifyKeys)
            throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + priv(image) + "\n");
        return ImageGate.create(TestSettings.in(dir))
                .gate(
                        GateSpec.builder()
                                .files(List.of("Dockerfile"))
                                .trusted(List.of(registry.hostPort()))
                                .requireVetted(true)
                                .policy(policy == null ? null : policy.toString())
                                .verifyKeys(
                                        java.util.Arrays.stream(verifyKeys)
                                                .map(k -> k.publicKey().toString())
                                                .toList())
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

    /**
     * Pushes {@code image} straight under {@code repository}:1, never vetted; returns its
     * descriptor there.
     */
    private static Descriptor pushedUnvetted(String repository, TestImages.Image image) {
        new ImagePusher(registry).push(repository, "1", image);
        try (RegistryClient client = client()) {
            return client.pull(ImageReference.parse(priv(repository + ":1")))
                    .headManifest("1")
                    .orElseThrow();
        }
    }

    /**
     * What an attacker with push rights attaches: a verdict artifact of {@code document} (its
     * subject set to {@code subject}, naming no quarantine so nothing else is read) and, when
     * given, {@code bundle} as an attestation.
     */
    private static void forge(
            String repository, Descriptor subject, JsonNode document, SigstoreBundle bundle)
            throws IOException {
        ObjectNode doc = document.deepCopy();
        ((ObjectNode) doc.path("subject")).put("digest", subject.digest().toString());
        doc.put("quarantine", "");
        doc.putArray("supersedes");
        try (RegistryClient client = client()) {
            RemoteRepository repo = client.push(ImageReference.parse(priv(repository + ":1")));
            if (bundle != null) {
                AttestationReferrer.push(repo, subject, bundle, Instant.now(), Set.of());
            }
            VerdictArtifact.of(
                            subject,
                            VerdictDocument.parse(
                                    JSON.writeValueAsBytes(doc), subject.digest(), "forged"))
                    .push(repo);
        }
    }

    @Test
    void aSignedVerdictPassesWithItsKeyAndWithTheNextOneListedBesideIt() throws IOException {
        GateResult verified = gate("legit/clean:1", null, org);
        assertThat(reasonCode(verified)).isNull();
        assertThat(verified.summary()).contains("verdict signatures verified");
        // rotation: the new key and the old one, both listed
        assertThat(reasonCode(gate("legit/clean:1", null, rogue, org))).isNull();

        VerdictsResult judged =
                ImageGate.create(TestSettings.in(dir))
                        .verdicts(
                                new VerdictSpec(
                                        priv("legit/clean:1"),
                                        List.of(org.publicKey().toString())));
        assertThat(judged.outcome()).isEqualTo(Outcome.PASSED);
        String fingerprint = PublicKeys.load(org.publicKey(), "test").fingerprint();
        assertThat(judged.verdicts())
                .singleElement()
                .extracting(StoredVerdict::signature)
                .asString()
                .contains(fingerprint)
                .contains("verified");
        VerdictsResult unverified =
                ImageGate.create(TestSettings.in(dir))
                        .verdicts(new VerdictSpec(priv("legit/clean:1")));
        assertThat(unverified.verdicts().get(0).signature())
                .contains(fingerprint)
                .contains("not verified");
    }

    @Test
    void anUnsignedVerdictStillWorksWhenNoKeyIsConfiguredAndNotWhenOneIs() throws IOException {
        assertThat(vetStatic(dir, "library/clean:1", "plain/clean:1", null, null).outcome())
                .isEqualTo(Outcome.PASSED);
        GateResult unverified = gate("plain/clean:1", null);
        assertThat(reasonCode(unverified)).isNull();
        assertThat(unverified.summary()).contains("verdict signatures not verified");
        assertThat(reasonCode(gate("plain/clean:1", null, org))).isEqualTo("vetting.unsigned");
        // a policy's verdictKeys, relative to the policy file, count as --verify-key does
        Path policyDir = Files.createDirectories(dir.resolve("policy"));
        Files.copy(org.publicKey(), policyDir.resolve("org.pub"));
        Path policy =
                Files.writeString(
                        policyDir.resolve("policy.yaml"), "failOn: HIGH\nverdictKeys: [org.pub]\n");
        assertThat(vetStatic(dir, "library/clean:1", "plain/policy-keys:1", null, policy).outcome())
                .isEqualTo(Outcome.PASSED);
        assertThat(reasonCode(gate("plain/policy-keys:1", policy))).isEqualTo("vetting.unsigned");
    }

    @Test
    void aVerdictCopiedFromAnotherImageFailsWhenKeysAreConfigured() throws IOException {
        // The attack of issue 21: a vetted image's verdict document attached to an image never
        // vetted.
        Descriptor subject = pushedUnvetted("forge/copied", clean2);
        forge("forge/copied", subject, passDoc, null);
        assertThat(reasonCode(gate("forge/copied:1", null)))
                .as("without keys the copy still passes: the documented gap")
                .isNull();
        assertThat(reasonCode(gate("forge/copied:1", null, org))).isEqualTo("vetting.unsigned");
    }

    @Test
    void aValidBundleCopiedFromAnotherImageIsSignedForAnotherImage() throws IOException {
        Descriptor subject = pushedUnvetted("forge/copied-bundle", clean2);
        forge("forge/copied-bundle", subject, passDoc, passBundle);
        assertThat(reasonCode(gate("forge/copied-bundle:1", null, org)))
                .isEqualTo("vetting.signed-other-image");
    }

    @Test
    void oneTamperedPayloadByteBreaksTheSignature() throws IOException {
        Descriptor subject = pushedUnvetted("forge/payload", clean);
        byte[] payload = passBundle.envelope().payload();
        String text = new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        int at = text.indexOf("\"verdict\":\"PASS\"") + "\"verdict\":\"".length();
        payload[at] = 'p';
        SigstoreBundle tampered =
                new SigstoreBundle(
                        passBundle.mediaType(),
                        passBundle.keyHint(),
                        new Dsse.Envelope(
                                Dsse.IN_TOTO, payload, passBundle.envelope().signatures()));
        forge("forge/payload", subject, passDoc, tampered);
        assertThat(reasonCode(gate("forge/payload:1", null, org)))
                .isEqualTo("vetting.signature-invalid");
    }

    @Test
    void aTamperedSignatureDoesNotVerify() throws IOException {
        Descriptor subject = pushedUnvetted("forge/signature", clean);
        byte[] sig = passBundle.envelope().signatures().get(0).signature();
        sig[sig.length - 3] ^= 0x01;
        SigstoreBundle tampered =
                new SigstoreBundle(
                        passBundle.mediaType(),
                        passBundle.keyHint(),
                        new Dsse.Envelope(
                                Dsse.IN_TOTO,
                                passBundle.envelope().payload(),
                                List.of(new Dsse.Sig("", sig))));
        forge("forge/signature", subject, passDoc, tampered);
        assertThat(reasonCode(gate("forge/signature:1", null, org)))
                .isEqualTo("vetting.signature-invalid");
    }

    @Test
    void aVerdictSignedByAnUnlistedKeyDoesNotCount() throws IOException {
        assertThat(vetStatic(dir, "library/clean:1", "forge/rogue:1", rogue, null).outcome())
                .isEqualTo(Outcome.PASSED);
        assertThat(reasonCode(gate("forge/rogue:1", null, org)))
                .isEqualTo("vetting.signed-unlisted-key");
        assertThat(reasonCode(gate("forge/rogue:1", null, rogue))).isNull();
    }

    @Test
    void aVerdictSignedForAnotherPolicyDoesNotCount() throws IOException {
        Descriptor subject = pushedUnvetted("forge/policy", clean);
        ObjectNode relabelled = otherPolicyDoc.deepCopy();
        ((ObjectNode) relabelled.path("policy")).put("digest", Policy.defaults().digest());
        forge("forge/policy", subject, relabelled, otherPolicyBundle);
        assertThat(reasonCode(gate("forge/policy:1", null, org)))
                .isEqualTo("vetting.signed-other-policy");
    }

    @Test
    void aValidlySignedFailDoesNotVouchForAPass() throws IOException {
        Descriptor subject = pushedUnvetted("forge/fail", vulnerable);
        ObjectNode flipped = failDoc.deepCopy();
        flipped.put("verdict", "PASS");
        for (JsonNode p : flipped.path("platforms")) {
            ((ObjectNode) p).put("verdict", "PASS");
            ((ObjectNode) p).putArray("findings");
        }
        forge("forge/fail", subject, flipped, failBundle);
        assertThat(reasonCode(gate("forge/fail:1", null)))
                .as("without keys the flipped copy passes")
                .isNull();
        assertThat(reasonCode(gate("forge/fail:1", null, org))).isEqualTo("vetting.signed-fail");
    }

    @Test
    void aSignedVerdictOfTheSameImageButAnotherDocumentDoesNotVouch() throws IOException {
        // The artifact and the attestation cannot be mixed: a valid bundle of this image and policy
        // vouches only for
        // the very document it signed.
        Descriptor subject = pushedUnvetted("forge/mixed", clean);
        ObjectNode other = passDoc.deepCopy();
        other.put("source", "somewhere/else:1");
        forge("forge/mixed", subject, other, passBundle);
        assertThat(reasonCode(gate("forge/mixed:1", null, org)))
                .isEqualTo("vetting.signed-other-verdict");
    }
}
