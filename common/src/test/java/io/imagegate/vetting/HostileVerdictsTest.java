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
import io.imagegate.api.TrivySettings;
import io.imagegate.api.VerdictSpec;
import io.imagegate.api.VerdictsResult;
import io.imagegate.api.VetResult;
import io.imagegate.api.VetSpec;
import io.imagegate.copy.ImportListener;
import io.imagegate.message.Message;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.oci.Platform;
import io.imagegate.policy.Policy;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.RemoteRepository;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.GgcrRegistry;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.RegistryFront;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verdicts under hostile registries and writers: each case is one way the verdict lookup failed
 * open before, with the real registry, a second registry implementation that serves the referrers
 * API (go-containerregistry's), the real Trivy and the fixture DB.
 */
@NeedsComponents
class HostileVerdictsTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();
    static GgcrRegistry ggcr;

    static final Platform AMD64 = Platform.parse("linux/amd64");
    static final ObjectMapper JSON = new ObjectMapper();
    static TestImages.Image clean;
    static TestImages.Image vulnerable;
    static Path cache;

    @TempDir Path dir;

    @BeforeAll
    static void images() {
        cache = FixtureVulnerabilityDb.cacheDir();
        clean = TestImages.cleanAlpine();
        vulnerable = TestImages.vulnerableAlpine();
        ImagePusher pusher = new ImagePusher(upstream);
        pusher.push("library/clean", "1", clean);
        pusher.push("library/vulnerable", "1", vulnerable);
        ggcr = new GgcrRegistry();
    }

    @AfterAll
    static void stop() {
        ggcr.close();
    }

    private String up(String path) {
        return upstream.hostPort() + "/" + path;
    }

    private String priv(String path) {
        return registry.hostPort() + "/" + path;
    }

    private ImageGate api() {
        return ImageGate.create(TestSettings.in(dir));
    }

    private VetResult vet(
            String source, String target, String quarantine, Path policy, boolean force) {
        return api().vet(
                        VetSpec.builder()
                                .source(source)
                                .target(target)
                                .quarantine(quarantine)
                                .policy(policy == null ? null : policy.toString())
                                .force(force)
                                .trivy(FixtureVulnerabilityDb.offlineTrivy())
                                .build(),
                        ProgressListener.NONE);
    }

    private GateResult gate(String image, String trusted, Path policy, boolean anyPolicy)
            throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + image + "\n");
        return api().gate(
                        GateSpec.builder()
                                .files(List.of("Dockerfile"))
                                .trusted(List.of(trusted))
                                .requireVetted(true)
                                .policy(policy == null ? null : policy.toString())
                                .anyPolicy(anyPolicy)
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

    private static RegistryClient client() {
        return new RegistryClient(
                TransportOptions.defaults(), CredentialProvider.anonymous(), ImportListener.NONE);
    }

    private Path lenient() throws IOException {
        return Files.writeString(
                dir.resolve("lenient.yaml"),
                """
                failOn: HIGH
                allowlist:
                  - id: CVE-2099-0001
                    package: openssl
                    reason: not reachable in our use
                    expires: 2099-12-31
                """);
    }

    /**
     * A verdict document as a vet writes one, for {@code subject}, with one platform judged {@code
     * verdict}.
     */
    static ObjectNode document(
            Descriptor subject,
            String name,
            String verdict,
            String policyDigest,
            Instant created,
            String quarantine,
            List<Digest> supersedes) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 1);
        root.put("mediaType", VerdictDocument.MEDIA_TYPE);
        root.put("verdict", verdict);
        ObjectNode s = root.putObject("subject");
        s.put("name", name);
        s.put("digest", subject.digest().toString());
        s.put("mediaType", subject.mediaType());
        root.put("source", name);
        root.putObject("policy").put("digest", policyDigest);
        root.putObject("scanner").put("name", "trivy").put("version", "0.74.0");
        root.put("created", created.toString());
        root.put("quarantine", quarantine);
        ArrayNode replaced = root.putArray("supersedes");
        supersedes.forEach(d -> replaced.add(d.toString()));
        ObjectNode p = root.putArray("platforms").addObject();
        p.put("digest", subject.digest().toString());
        p.put("platform", "linux/amd64");
        p.put("verdict", verdict);
        p.putObject("counts");
        p.putArray("reasons");
        p.putArray("findings");
        root.putObject("counts");
        root.putArray("allowlisted");
        return root;
    }

    /** A verdict artifact of {@code document}, its manifest's annotations as a vet writes them. */
    static VerdictArtifact artifact(Descriptor subject, ObjectNode document) throws IOException {
        return VerdictArtifact.of(
                subject,
                VerdictDocument.parse(JSON.writeValueAsBytes(document), subject.digest(), "test"));
    }

    /**
     * Pushes a verdict's blobs and manifest by digest only: a registry with the referrers API
     * indexes it; no tag is written.
     */
    static void pushManifestOnly(RemoteRepository repository, VerdictArtifact artifact) {
        repository.pushBlob(
                new Descriptor(
                        MediaTypes.OCI_EMPTY,
                        Digest.sha256(VerdictArtifact.EMPTY),
                        VerdictArtifact.EMPTY.length),
                VerdictArtifact.EMPTY);
        byte[] doc = artifact.document().bytes();
        repository.pushBlob(
                new Descriptor(VerdictDocument.MEDIA_TYPE, Digest.sha256(doc), doc.length), doc);
        repository.putManifest(artifact.manifest().digest().toString(), artifact.manifest());
    }

    // ------------------------------------------------------------------ item 2: both listings,
    // every page

    @Test
    void aFailIndexedByTheReferrersApiIsNotShadowedByTheTagsPass() throws IOException {
        String target = ggcr.hostPort() + "/api/clean:1";
        VetResult vetted = vet(up("library/clean:1"), target, null, null, false);
        assertThat(vetted.promoted()).as(vetted.toString()).isTrue();
        // go-containerregistry lists the verdict with its config's type
        // (application/vnd.oci.empty.v1+json) and sends no
        // OCI-Subject, so imagegate also wrote the tag: both listings hold the PASS, and it is read
        // from its manifest.
        assertThat(reasonCode(gate(target, ggcr.hostPort(), null, false))).isNull();

        // The registry gained the API after the tag was written: a FAIL recorded through the API
        // alone.
        try (RegistryClient client = client()) {
            RemoteRepository repository = client.push(ImageReference.parse(target));
            Descriptor subject = repository.headManifest("1").orElseThrow();
            pushManifestOnly(
                    repository,
                    artifact(
                            subject,
                            document(
                                    subject,
                                    target,
                                    "FAIL",
                                    Policy.defaults().digest(),
                                    Instant.now(),
                                    "quarantine/api/clean",
                                    List.of())));
        }
        assertThat(reasonCode(gate(target, ggcr.hostPort(), null, false)))
                .isEqualTo("vetting.failed");
        VerdictsResult verdicts = api().verdicts(new VerdictSpec(target));
        assertThat(verdicts.outcome()).isEqualTo(Outcome.POLICY_FAILED);
        assertThat(verdicts.verdicts())
                .extracting(v -> v.verdict())
                .containsExactly("FAIL", "PASS");
        // and vetting it again is not "already vetted"
        assertThat(vet(up("library/clean:1"), target, null, null, false).alreadyVetted()).isFalse();
    }

    @Test
    void aFailOnTheSecondPageOfTheReferrersApiIsSeen() throws IOException {
        try (RegistryFront front = new RegistryFront(registry)) {
            front.serveReferrersApi(true);
            front.referrersPageSize(1);
            String target = front.hostPort() + "/paged/clean:1";
            assertThat(vet(up("library/clean:1"), target, null, null, false).promoted()).isTrue();
            try (RegistryClient client = client()) {
                RemoteRepository repository = client.push(ImageReference.parse(target));
                Descriptor subject = repository.headManifest("1").orElseThrow();
                pushManifestOnly(
                        repository,
                        artifact(
                                subject,
                                document(
                                        subject,
                                        target,
                                        "FAIL",
                                        Policy.defaults().digest(),
                                        Instant.now(),
                                        "quarantine/paged/clean",
                                        List.of())));
            }
            assertThat(reasonCode(gate(target, front.hostPort(), null, false)))
                    .isEqualTo("vetting.failed");
        }
    }

    // ------------------------------------------------------------------ item 3: a quarantine
    // inside the trusted namespace

    @Test
    void aQuarantineThatHoldsATrustedImageNeverOverwritesIt() throws IOException {
        assertThat(vet(up("library/clean:1"), priv("base/lib/app:1"), null, null, false).promoted())
                .isTrue();

        // quarantine "base" for the target lib/app:1 is base/lib/app:1: the vetted image above
        VetResult refused = vet(up("library/vulnerable:1"), priv("lib/app:1"), "base", null, false);
        assertThat(refused.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(refused.error())
                .hasValueSatisfying(
                        e -> assertThat(e.message().code()).isEqualTo("vet.quarantine-overlaps"));
        assertThat(new ImagePusher(registry).manifestDigest("base/lib/app", "1"))
                .contains(clean.digest());
        assertThat(reasonCode(gate(priv("base/lib/app:1"), registry.hostPort(), null, false)))
                .isNull();
    }

    // ------------------------------------------------------------------ item 4: other writers of
    // the referrers tag

    @Test
    void anotherWriterOfTheReferrersTagCannotDropTheFail() throws IOException {
        Path lenient = lenient();
        Path strict = Files.writeString(dir.resolve("strict.yaml"), "failOn: HIGH\n");
        try (RegistryFront front = new RegistryFront(registry)) {
            String target = front.hostPort() + "/race/app:1";
            assertThat(vet(up("library/vulnerable:1"), target, null, lenient, false).promoted())
                    .isTrue();
            String tag = "sha256-" + vulnerable.digest().hex();
            ImagePusher direct = new ImagePusher(registry);
            JsonNode before = JSON.readTree(direct.getManifest("race/app", tag));

            // A signature of the image, as cosign pushes one, and a cosign that read the index
            // before imagegate's write
            // and writes its own view (the PASS and its signature) once imagegate has read its
            // write back.
            ObjectNode signature = signatureOf(direct, "race/app", vulnerable.digest());
            AtomicBoolean written = new AtomicBoolean();
            AtomicBoolean raced = new AtomicBoolean();
            front.afterManifestRequest(
                    (method, path) -> {
                        if (!path.equals("/v2/race/app/manifests/" + tag)) {
                            return;
                        }
                        if (method.equals("PUT")) {
                            written.set(true);
                        } else if (method.equals("GET")
                                && written.get()
                                && raced.compareAndSet(false, true)) {
                            ObjectNode stale = before.deepCopy();
                            ((ArrayNode) stale.path("manifests")).add(signature);
                            direct.putManifest("race/app", tag, MediaTypes.OCI_INDEX, bytes(stale));
                        }
                    });

            VetResult failed = vet(up("library/vulnerable:1"), target, null, strict, true);
            assertThat(failed.outcome()).isEqualTo(Outcome.POLICY_FAILED);
            assertThat(raced).isTrue();
            assertThat(failed.lines())
                    .anySatisfy(l -> assertThat(l).contains("its FAIL is recorded beside it"));

            JsonNode index = JSON.readTree(direct.getManifest("race/app", tag));
            List<String> listed = new ArrayList<>();
            index.path("manifests").forEach(d -> listed.add(d.path("digest").asText()));
            // the FAIL is back, and cosign's signature was kept
            assertThat(listed)
                    .contains(
                            signature.path("digest").asText(),
                            failed.verdictStored()
                                    .substring(failed.verdictStored().indexOf('@') + 1));
            assertThat(reasonCode(gate(target, front.hostPort(), null, true)))
                    .isEqualTo("vetting.failed");
        }
    }

    /**
     * Pushes a small artifact referring to {@code subject} (as a cosign signature) and returns its
     * descriptor.
     */
    private static ObjectNode signatureOf(ImagePusher pusher, String repository, Digest subject) {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] payload = "{\"critical\":{}}".getBytes(StandardCharsets.UTF_8);
        pusher.pushBlob(repository, new TestImages.Blob(MediaTypes.OCI_EMPTY, empty, null));
        pusher.pushBlob(
                repository,
                new TestImages.Blob(
                        "application/vnd.dev.cosign.simplesigning.v1+json", payload, null));
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("artifactType", "application/vnd.dev.sigstore.bundle.v0.3+json");
        m.putObject("config")
                .put("mediaType", MediaTypes.OCI_EMPTY)
                .put("digest", Digest.sha256(empty).toString())
                .put("size", 2);
        m.putArray("layers")
                .addObject()
                .put("mediaType", "application/vnd.dev.cosign.simplesigning.v1+json")
                .put("digest", Digest.sha256(payload).toString())
                .put("size", payload.length);
        m.putObject("subject")
                .put("mediaType", MediaTypes.DOCKER_MANIFEST)
                .put("digest", subject.toString())
                .put("size", 1);
        byte[] bytes = bytes(m);
        pusher.putManifest(
                repository, Digest.sha256(bytes).toString(), MediaTypes.OCI_MANIFEST, bytes);
        ObjectNode d = JSON.createObjectNode();
        d.put("mediaType", MediaTypes.OCI_MANIFEST);
        d.put("digest", Digest.sha256(bytes).toString());
        d.put("size", bytes.length);
        d.put("artifactType", "application/vnd.dev.sigstore.bundle.v0.3+json");
        return d;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ item 5: order does not
    // rest on a claimed clock

    @Test
    void anEditedIndexEntryDateDoesNotMakeAPassOutrankAFail() throws IOException {
        String target = priv("edited/app:1");
        assertThat(vet(up("library/clean:1"), target, null, null, false).promoted()).isTrue();
        ImagePusher direct = new ImagePusher(registry);
        try (RegistryClient client = client()) {
            RemoteRepository repository = client.push(ImageReference.parse(target));
            Descriptor subject = repository.headManifest("1").orElseThrow();
            artifact(
                            subject,
                            document(
                                    subject,
                                    target,
                                    "FAIL",
                                    Policy.defaults().digest(),
                                    Instant.now(),
                                    "quarantine/edited/app",
                                    List.of()))
                    .push(repository);
        }
        // the index entry of the PASS claims to be from 2099
        String tag = "sha256-" + clean.digest().hex();
        ObjectNode index = (ObjectNode) JSON.readTree(direct.getManifest("edited/app", tag));
        for (JsonNode d : index.path("manifests")) {
            if ("PASS"
                    .equals(
                            d.path("annotations")
                                    .path(VerdictArtifact.ANNOTATION_VERDICT)
                                    .asText())) {
                ((ObjectNode) d.path("annotations"))
                        .put(VerdictArtifact.ANNOTATION_CREATED, "2099-01-01T00:00:00Z");
            }
        }
        direct.putManifest("edited/app", tag, MediaTypes.OCI_INDEX, bytes(index));
        assertThat(reasonCode(gate(target, registry.hostPort(), null, false)))
                .isIn("vetting.failed", "vetting.not-a-pass");
        // a well-formed PASS dated after the FAIL, that does not name it: the FAIL still stands (no
        // newest-date-wins)
        try (RegistryClient client = client()) {
            RemoteRepository repository = client.push(ImageReference.parse(target));
            Descriptor subject = repository.headManifest("1").orElseThrow();
            artifact(
                            subject,
                            document(
                                    subject,
                                    target,
                                    "PASS",
                                    Policy.defaults().digest(),
                                    Instant.now().plusSeconds(1),
                                    "quarantine/edited/app",
                                    List.of()))
                    .push(repository);
        }
        assertThat(reasonCode(gate(target, registry.hostPort(), null, false)))
                .isEqualTo("vetting.failed");
    }

    // ------------------------------------------------------------------ item 7: allowlist entries
    // expire at the gate too

    @Test
    void aPassThatRestsOnAnExpiredAllowlistEntryNoLongerVets() throws IOException {
        Path policy = lenient();
        String target = priv("allowed/app:1");
        assertThat(vet(up("library/vulnerable:1"), target, null, policy, false).promoted())
                .isTrue();
        try (RegistryClient client = client()) {
            Optional<io.imagegate.policy.PolicyIdentity> policyDigest =
                    Optional.of(Policy.load(policy).identity());
            Clock before = Clock.fixed(Instant.parse("2099-12-31T23:00:00Z"), ZoneOffset.UTC);
            Clock after = Clock.fixed(Instant.parse("2100-01-01T00:00:01Z"), ZoneOffset.UTC);
            assertThat(
                            new RegistryVettingCheck(client, policyDigest, Optional.empty(), before)
                                    .notVetted(ImageReference.parse(target)))
                    .isEmpty();
            assertThat(
                            new RegistryVettingCheck(client, policyDigest, Optional.empty(), after)
                                    .notVetted(ImageReference.parse(target)))
                    .hasValueSatisfying(
                            m -> {
                                assertThat(m.code()).isEqualTo("vetting.allowlist-expired");
                                assertThat(m.toString()).contains("CVE-2099-0001", "2099-12-31");
                            });
        }
    }

    // ------------------------------------------------------------------ item 8: sync checks what
    // an unchanged tag holds

    @Test
    void syncVetsAnUnchangedTagThatHoldsWhatWasNeverVettedOrFailedSince() throws IOException {
        new ImagePusher(registry).push("direct/app", "1", clean); // imported directly, never vetted
        Path file =
                Files.writeString(
                        dir.resolve("sync.yaml"),
                        """
                images:
                  - source: %s
                    target: %s
                """
                                .formatted(up("library/clean:1"), priv("direct/app:1")));
        // it must be vetted, so without a Trivy it is an error, reported with the digests it was
        // compared by
        SyncResult noTrivy =
                api().sync(
                                new SyncSpec(
                                        file.toString(),
                                        null,
                                        null,
                                        1,
                                        null,
                                        TrivySettings.builder()
                                                .path(dir.resolve("no-trivy").toString())
                                                .build()),
                                ProgressListener.NONE);
        assertThat(noTrivy.entries())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.outcome()).isEqualTo(Outcome.ERROR);
                            assertThat(e.digest()).isEqualTo(clean.digest().toString());
                            assertThat(e.changed()).isFalse();
                        });
        SyncResult first = sync(file);
        assertThat(first.entries())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.outcome()).isEqualTo(Outcome.PASSED);
                            assertThat(e.changed()).isFalse();
                            assertThat(e.vetted())
                                    .as("vetted, not taken on the tag's word")
                                    .isTrue();
                        });
        assertThat(reasonCode(gate(priv("direct/app:1"), registry.hostPort(), null, false)))
                .isNull();

        // a FAIL recorded since (a re-scan elsewhere): the next sync does not call it PASS unseen
        try (RegistryClient client = client()) {
            RemoteRepository repository = client.push(ImageReference.parse(priv("direct/app:1")));
            Descriptor subject = repository.headManifest("1").orElseThrow();
            artifact(
                            subject,
                            document(
                                    subject,
                                    priv("direct/app:1"),
                                    "FAIL",
                                    Policy.defaults().digest(),
                                    Instant.now(),
                                    "quarantine/direct/app",
                                    List.of()))
                    .push(repository);
        }
        SyncResult second = sync(file);
        assertThat(second.entries())
                .singleElement()
                .satisfies(e -> assertThat(e.vetted()).isTrue());
        // vetted again, the new PASS names the FAIL it supersedes
        assertThat(reasonCode(gate(priv("direct/app:1"), registry.hostPort(), null, false)))
                .isNull();
        // and now it is unchanged and vetted: nothing to do
        assertThat(sync(file).entries())
                .singleElement()
                .satisfies(e -> assertThat(e.vetted()).isFalse());
    }

    private SyncResult sync(Path file) {
        return api().sync(
                        new SyncSpec(
                                file.toString(),
                                null,
                                null,
                                1,
                                null,
                                FixtureVulnerabilityDb.offlineTrivy()),
                        ProgressListener.NONE);
    }

    // ------------------------------------------------------------------ item 9: dangling entries

    @Test
    void aDanglingVerdictEntryIsSkippedAndPruned() throws IOException {
        String target = priv("dangling/app:1");
        Path other = Files.writeString(dir.resolve("other.yaml"), "failOn: CRITICAL\n");
        VetResult first = vet(up("library/clean:1"), target, null, null, false);
        assertThat(vet(up("library/clean:1"), target, null, other, false).promoted()).isTrue();
        String firstVerdict =
                first.verdictStored().substring(first.verdictStored().indexOf('@') + 1);
        try (RegistryClient client = client()) {
            // as `docker-registry garbage-collect --delete-untagged` does to every untagged
            // manifest
            assertThat(client.push(ImageReference.parse(target)).deleteManifest(firstVerdict))
                    .isTrue();
        }
        // the gate skips the entry whose manifest is gone: no error blaming the image name
        GateResult gate = gate(target, registry.hostPort(), null, false);
        assertThat(gate.outcome()).as(gate.toString()).isNotEqualTo(Outcome.ERROR);
        // and a vet under the other policy rewrites the index without the dangling entry (the
        // registry refuses one that
        // lists a missing manifest)
        VetResult again = vet(up("library/clean:1"), target, null, other, true);
        assertThat(again.outcome()).as(again.toString()).isEqualTo(Outcome.PASSED);
        JsonNode index =
                JSON.readTree(
                        new ImagePusher(registry)
                                .getManifest("dangling/app", "sha256-" + clean.digest().hex()));
        List<String> listed = new ArrayList<>();
        index.path("manifests").forEach(d -> listed.add(d.path("digest").asText()));
        assertThat(listed).doesNotContain(firstVerdict).hasSize(1);
    }

    // ------------------------------------------------------------------ item 10: an unreadable old
    // verdict is no blocker

    @Test
    void anUnreadablePreviousVerdictDoesNotBlockTheMoveToANewDigest() throws IOException {
        ImagePusher up = new ImagePusher(upstream);
        up.push("library/moving", "1", clean);
        Path file =
                Files.writeString(
                        dir.resolve("sync.yaml"),
                        """
                images:
                  - source: %s
                    target: %s
                """
                                .formatted(up("library/moving:1"), priv("moving/app:1")));
        assertThat(sync(file).outcome()).isEqualTo(Outcome.PASSED);
        // the newest verdict of the old digest: a document of another schema version
        try (RegistryClient client = client()) {
            RemoteRepository repository = client.push(ImageReference.parse(priv("moving/app:1")));
            Descriptor subject = repository.headManifest("1").orElseThrow();
            ObjectNode doc =
                    document(
                            subject,
                            priv("moving/app:1"),
                            "FAIL",
                            Policy.defaults().digest(),
                            Instant.now(),
                            "quarantine/moving/app",
                            List.of());
            VerdictArtifact real = artifact(subject, doc);
            doc.put("schemaVersion", 2);
            byte[] future = bytes(doc);
            ObjectNode m = (ObjectNode) real.manifest().json().deepCopy();
            ((ObjectNode) m.path("layers").get(0))
                    .put("digest", Digest.sha256(future).toString())
                    .put("size", future.length);
            repository.pushBlob(
                    new Descriptor(MediaTypes.OCI_EMPTY, Digest.sha256(VerdictArtifact.EMPTY), 2),
                    VerdictArtifact.EMPTY);
            repository.pushBlob(
                    new Descriptor(
                            VerdictDocument.MEDIA_TYPE, Digest.sha256(future), future.length),
                    future);
            VerdictReferrers.push(repository, List.of(Manifest.create(m, "test")), Set.of());
        }
        up.push("library/moving", "1", vulnerableFixed());
        SyncResult moved = sync(file);
        assertThat(moved.entries())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.outcome()).as(e.toString()).isEqualTo(Outcome.PASSED);
                            assertThat(e.changed()).isTrue();
                            assertThat(e.fixed()).isEmpty();
                        });
    }

    private static TestImages.Image vulnerableFixed() {
        return TestImages.alpine(
                AMD64, List.<String[]>of(new String[] {"busybox", "1.37.0-r31", "busybox"}));
    }

    // ------------------------------------------------------------------ item 11: a vet stopped
    // half-way

    @Test
    void aFailLeftInQuarantineByAStoppedVetIsSeenByTheGateAndTheNextVet() throws IOException {
        String target = priv("stopped/app:1");
        VetResult passed = vet(up("library/clean:1"), target, null, null, false);
        assertThat(passed.promoted()).isTrue();
        String pass = passed.verdictStored().substring(passed.verdictStored().indexOf('@') + 1);
        // the re-vet that failed recorded its FAIL in quarantine and was killed before the FAIL
        // beside the trusted name
        try (RegistryClient client = client()) {
            RemoteRepository quarantine =
                    client.push(ImageReference.parse(priv("quarantine/stopped/app:1")));
            Descriptor subject = quarantine.headManifest(clean.digest().toString()).orElseThrow();
            artifact(
                            subject,
                            document(
                                    subject,
                                    target,
                                    "FAIL",
                                    Policy.defaults().digest(),
                                    Instant.now(),
                                    "quarantine/stopped/app",
                                    List.of(Digest.parse(pass))))
                    .push(quarantine);
        }
        assertThat(reasonCode(gate(target, registry.hostPort(), null, false)))
                .isEqualTo("vetting.failed");
        VetResult rerun = vet(up("library/clean:1"), target, null, null, false);
        assertThat(rerun.alreadyVetted()).isFalse();
        assertThat(rerun.promoted()).isTrue();
        assertThat(reasonCode(gate(target, registry.hostPort(), null, false))).isNull();

        // A FAIL in a quarantine no verdict beside the trusted name names (a vet with another
        // --quarantine stopped
        // there): the vet that uses that quarantine reads it, and so is not "already vetted".
        try (RegistryClient client = client()) {
            new ImagePusher(registry).push("other/stopped/app", "1", clean);
            RemoteRepository other = client.push(ImageReference.parse(priv("other/stopped/app:1")));
            Descriptor subject = other.headManifest("1").orElseThrow();
            artifact(
                            subject,
                            document(
                                    subject,
                                    target,
                                    "FAIL",
                                    Policy.defaults().digest(),
                                    Instant.now(),
                                    "other/stopped/app",
                                    List.of()))
                    .push(other);
        }
        assertThat(vet(up("library/clean:1"), target, "other", null, false).alreadyVetted())
                .isFalse();
    }

    // ------------------------------------------------------------------ item 12: bounded referrers
    // indexes

    @Test
    void aPersistentlyFailingImageKeepsOneVerdictPerPolicy() throws IOException {
        for (int i = 0; i < 3; i++) {
            assertThat(
                            vet(up("library/vulnerable:1"), priv("failing/app:1"), null, null, true)
                                    .outcome())
                    .isEqualTo(Outcome.POLICY_FAILED);
        }
        JsonNode index =
                JSON.readTree(
                        new ImagePusher(registry)
                                .getManifest(
                                        "quarantine/failing/app",
                                        "sha256-" + vulnerable.digest().hex()));
        assertThat(index.path("manifests")).hasSize(1);
    }

    // ------------------------------------------------------------------ item 14: annotations and
    // document must agree

    @Test
    void aPassInTheAnnotationsOverAFailingDocumentDoesNotVet() throws IOException {
        String target = priv("forged/app:1");
        new ImagePusher(registry).push("forged/app", "1", vulnerable);
        try (RegistryClient client = client()) {
            RemoteRepository repository = client.push(ImageReference.parse(target));
            Descriptor subject = repository.headManifest("1").orElseThrow();
            VerdictArtifact failing =
                    artifact(
                            subject,
                            document(
                                    subject,
                                    target,
                                    "FAIL",
                                    Policy.defaults().digest(),
                                    Instant.now(),
                                    "",
                                    List.of()));
            ObjectNode m = (ObjectNode) failing.manifest().json().deepCopy();
            ((ObjectNode) m.path("annotations")).put(VerdictArtifact.ANNOTATION_VERDICT, "PASS");
            byte[] doc = failing.document().bytes();
            repository.pushBlob(
                    new Descriptor(MediaTypes.OCI_EMPTY, Digest.sha256(VerdictArtifact.EMPTY), 2),
                    VerdictArtifact.EMPTY);
            repository.pushBlob(
                    new Descriptor(VerdictDocument.MEDIA_TYPE, Digest.sha256(doc), doc.length),
                    doc);
            VerdictReferrers.push(repository, List.of(Manifest.create(m, "test")), Set.of());
        }
        assertThat(reasonCode(gate(target, registry.hostPort(), null, false)))
                .isEqualTo("vetting.not-a-pass");
        VerdictsResult verdicts = api().verdicts(new VerdictSpec(target));
        assertThat(verdicts.outcome()).isEqualTo(Outcome.POLICY_FAILED);
        assertThat(verdicts.verdicts())
                .singleElement()
                .satisfies(v -> assertThat(v.verdict()).startsWith("PASS (not valid"));
    }

    @SuppressWarnings("unused")
    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
