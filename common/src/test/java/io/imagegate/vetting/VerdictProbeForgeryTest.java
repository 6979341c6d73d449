package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.api.GateResult;
import io.imagegate.api.GateSpec;
import io.imagegate.api.ImageGate;
import io.imagegate.api.Outcome;
import io.imagegate.api.ProgressListener;
import io.imagegate.api.SyncResult;
import io.imagegate.api.SyncSpec;
import io.imagegate.api.VetSpec;
import io.imagegate.copy.ImportListener;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.MediaTypes;
import io.imagegate.policy.Policy;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.referrers.Referrers;
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
import io.imagegate.trust.SigstoreBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What someone who can push to a trusted repository gets from forging the referrers listing that a
 * sync's {@link VerdictProbe} reads: a PASS annotated as fresh under the sync's policy, and an
 * entry that claims a verdict attestation of the same second (its bundle real, but signed for
 * another image). Gates read and verify the verdicts themselves and refuse the image; a sync that
 * requires signed verdicts does not take the listing's word for a signature and scans the image.
 */
@NeedsComponents
class VerdictProbeForgeryTest {
    static final String PASSWORD = "probe-Forgery-135";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    @TempDir static Path keys;
    static Cosign.KeyPair org;
    static TestImages.Image vulnerable;

    /** A real signed PASS of another image: its document and bundle, to be copied. */
    static JsonNode passDoc;

    static SigstoreBundle passBundle;

    @TempDir Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        org = Cosign.generateKeyPair(Files.createDirectories(keys.resolve("org")), PASSWORD);
        vulnerable = TestImages.vulnerableAlpine();
        ImagePusher pusher = new ImagePusher(upstream);
        pusher.push("library/clean", "1", TestImages.cleanAlpine());
        pusher.push("library/vulnerable", "1", vulnerable);
        Path work = Files.createDirectories(keys.resolve("work"));
        assertThat(
                        ImageGate.create(TestSettings.in(work, Map.of("COSIGN_PASSWORD", PASSWORD)))
                                .vet(
                                        VetSpec.builder()
                                                .source(upstream.hostPort() + "/library/clean:1")
                                                .target(priv("legit/clean:1"))
                                                .signingKey(org.privateKey().toString())
                                                .trivy(FixtureVulnerabilityDb.offlineTrivy())
                                                .build(),
                                        ProgressListener.NONE)
                                .outcome())
                .isEqualTo(Outcome.PASSED);
        try (RegistryClient client = client()) {
            RemoteRepository repo = client.pull(ImageReference.parse(priv("legit/clean:1")));
            Digest digest = repo.headManifest("1").orElseThrow().digest();
            VerdictLookup.Found found = VerdictLookup.read(repo, digest);
            passDoc =
                    VerdictArtifact.document(repo, found.verdicts().get(0).manifest(), digest)
                            .json();
            passBundle = found.attestations().get(0).bundle().orElseThrow();
        }
    }

    private static String priv(String path) {
        return registry.hostPort() + "/" + path;
    }

    private static RegistryClient client() {
        return new RegistryClient(
                TransportOptions.defaults(), CredentialProvider.anonymous(), ImportListener.NONE);
    }

    /**
     * The forgery: a PASS of {@code passDoc} made about {@code subject} (dated now, so young for
     * any age, naming no quarantine), and {@code passBundle} attached as its attestation of the
     * same second.
     */
    private static void forge(String repository, Descriptor subject) throws IOException {
        String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        ObjectNode doc = passDoc.deepCopy();
        ((ObjectNode) doc.path("subject")).put("digest", subject.digest().toString());
        doc.put("quarantine", "");
        doc.put("created", now);
        doc.putArray("supersedes");
        try (RegistryClient client = client()) {
            RemoteRepository repo = client.push(ImageReference.parse(priv(repository + ":1")));
            AttestationReferrer.push(repo, subject, passBundle, Instant.parse(now), Set.of());
            VerdictArtifact.of(
                            subject,
                            VerdictDocument.parse(
                                    JSON.writeValueAsBytes(doc), subject.digest(), "forged"))
                    .push(repo);
        }
    }

    /** Rewrites the referrers tag of {@code subject} to list only what {@code keep} accepts. */
    private static void keepListed(
            String repository, Digest subject, java.util.function.Predicate<Descriptor> keep)
            throws IOException {
        List<Descriptor> listed;
        try (RegistryClient client = client()) {
            listed =
                    Referrers.list(
                            client.pull(ImageReference.parse(priv(repository + ":1"))), subject);
        }
        ObjectNode index =
                JSON.createObjectNode()
                        .put("schemaVersion", 2)
                        .put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (Descriptor d : listed) {
            if (!keep.test(d)) {
                continue;
            }
            ObjectNode entry =
                    manifests
                            .addObject()
                            .put("mediaType", d.mediaType())
                            .put("digest", d.digest().toString())
                            .put("size", d.size());
            d.artifactType().ifPresent(t -> entry.put("artifactType", t));
            ObjectNode annotations = entry.putObject("annotations");
            d.annotations().forEach(annotations::put);
        }
        new ImagePusher(registry)
                .putManifest(
                        repository,
                        Referrers.tagOf(subject),
                        MediaTypes.OCI_INDEX,
                        JSON.writeValueAsBytes(index));
    }

    /** What the probe makes of the listing, with or without signed verdicts required. */
    private static Optional<Instant> probe(String repository, Digest subject, boolean signed) {
        try (RegistryClient client = client()) {
            return new VerdictProbe()
                    .freshPass(
                            client.pull(ImageReference.parse(priv(repository + ":1"))),
                            subject,
                            Policy.defaults().digest(),
                            Optional.empty(),
                            signed,
                            Instant.now());
        }
    }

    private SyncResult signedSync(Path file) {
        return ImageGate.create(TestSettings.in(dir, Map.of("COSIGN_PASSWORD", PASSWORD)))
                .sync(
                        new SyncSpec(
                                file.toString(),
                                null,
                                null,
                                1,
                                null,
                                FixtureVulnerabilityDb.offlineTrivy(),
                                org.privateKey().toString()),
                        ProgressListener.NONE);
    }

    private GateResult gate(String image, Cosign.KeyPair... verifyKeys) throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + image + "\n");
        return ImageGate.create(TestSettings.in(dir))
                .gate(
                        GateSpec.builder()
                                .files(List.of("Dockerfile"))
                                .trusted(List.of(registry.hostPort()))
                                .requireVetted(true)
                                .verifyKeys(
                                        java.util.Arrays.stream(verifyKeys)
                                                .map(k -> k.publicKey().toString())
                                                .toList())
                                .build());
    }

    @Test
    void aForgedSignedPassInTheListingPassesNoKeyedGateAndNoSignedSyncSkipsTheImage()
            throws IOException {
        // Never vetted: pushed straight under the trusted name, as upstream has it.
        String repository = "base/vulnerable";
        new ImagePusher(registry).push(repository, "1", vulnerable);
        Descriptor subject;
        try (RegistryClient client = client()) {
            subject =
                    client.pull(ImageReference.parse(priv(repository + ":1")))
                            .headManifest("1")
                            .orElseThrow();
        }
        forge(repository, subject);
        Path file =
                Files.writeString(
                        dir.resolve("sync.yaml"),
                        """
                images:
                  - source: %s/library/vulnerable:1
                    target: %s
                """
                                .formatted(upstream.hostPort(), priv(repository + ":1")));

        // The listing is convincing: to annotations alone it shows a young PASS under the sync's
        // policy and an attestation of the same second.
        assertThat(probe(repository, subject.digest(), false)).isPresent();
        // With signatures required, the probe takes no listing's word for one.
        assertThat(probe(repository, subject.digest(), true)).isEmpty();

        // A gate with keys checks the bundle: it is signed, but for another image.
        GateResult keyed = gate(priv(repository + ":1"), org);
        assertThat(keyed.outcome()).as(keyed.toString()).isNotEqualTo(Outcome.PASSED);

        // A signed sync scans it (unchanged upstream: in place) and records the FAIL it is.
        SyncResult synced = signedSync(file);
        assertThat(synced.outcome()).as(synced.toString()).isEqualTo(Outcome.POLICY_FAILED);
        SyncResult.Entry entry = synced.entries().get(0);
        assertThat(entry.rescanned() || entry.vetted()).as(entry.toString()).isTrue();
        assertThat(entry.changed()).isFalse();
        assertThat(gate(priv(repository + ":1")).outcome())
                .as("its FAIL now stands for every gate, keys or not")
                .isNotEqualTo(Outcome.PASSED);
        assertThat(gate(priv(repository + ":1"), org).outcome()).isNotEqualTo(Outcome.PASSED);

        // Failing now, and the FAIL hidden: a new forgery, the tag rewritten to list it alone.
        forge(repository, subject);
        keepListed(
                repository,
                subject.digest(),
                d -> !"FAIL".equals(d.annotations().get(VerdictArtifact.ANNOTATION_VERDICT)));
        assertThat(probe(repository, subject.digest(), false)).isPresent();
        assertThat(probe(repository, subject.digest(), true)).isEmpty();
        assertThat(gate(priv(repository + ":1"), org).outcome()).isNotEqualTo(Outcome.PASSED);
        SyncResult again = signedSync(file);
        assertThat(again.outcome()).as(again.toString()).isEqualTo(Outcome.POLICY_FAILED);
        assertThat(again.entries().get(0).rescanned()).isTrue();
        assertThat(gate(priv(repository + ":1"), org).outcome()).isNotEqualTo(Outcome.PASSED);
    }

    @Test
    void withoutKeysAListingThatLiesOnlySparesTheSyncWorkThatGatesThenRefuse() throws IOException {
        String repository = "base/unvetted";
        new ImagePusher(registry).push(repository, "1", vulnerable);
        Descriptor subject;
        try (RegistryClient client = client()) {
            RemoteRepository repo = client.push(ImageReference.parse(priv(repository + ":1")));
            subject = repo.headManifest("1").orElseThrow();
            // A verdict artifact about this image whose annotations say PASS (young, the sync's
            // policy, no allowlist) but whose document is the other image's, unchanged.
            Digest other = Digest.parse(passDoc.path("subject").path("digest").asText());
            VerdictArtifact.of(
                            subject,
                            VerdictDocument.parse(JSON.writeValueAsBytes(passDoc), other, "copied"))
                    .push(repo);
        }
        Path file =
                Files.writeString(
                        dir.resolve("sync.yaml"),
                        """
                images:
                  - source: %s/library/vulnerable:1
                    target: %s
                """
                                .formatted(upstream.hostPort(), priv(repository + ":1")));

        // The probe, needing no signature, takes the listing's word: an unsigned sync leaves the
        // image alone (a Trivy that does not exist is never asked) ...
        assertThat(probe(repository, subject.digest(), false)).isPresent();
        SyncResult synced =
                ImageGate.create(TestSettings.in(dir))
                        .sync(
                                new SyncSpec(
                                        file.toString(),
                                        null,
                                        null,
                                        1,
                                        null,
                                        io.imagegate.api.TrivySettings.builder()
                                                .path(dir.resolve("no-trivy").toString())
                                                .build()),
                                ProgressListener.NONE);
        assertThat(synced.entries().get(0).vetted()).as(synced.toString()).isFalse();
        assertThat(synced.entries().get(0).rescanned()).isFalse();
        // ... but no gate rests on the listing: each reads the document, about another image, and
        // refuses, with keys or without.
        GateResult unkeyed = gate(priv(repository + ":1"));
        assertThat(unkeyed.outcome()).as(unkeyed.toString()).isNotEqualTo(Outcome.PASSED);
        assertThat(gate(priv(repository + ":1"), org).outcome()).isNotEqualTo(Outcome.PASSED);
    }
}
