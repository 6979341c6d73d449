package io.imagegate.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.api.ImageGate;
import io.imagegate.api.ImportResult;
import io.imagegate.api.ImportSpec;
import io.imagegate.api.Outcome;
import io.imagegate.api.ProgressListener;
import io.imagegate.oci.Platform;
import io.imagegate.reference.Digest;
import io.imagegate.testing.CosignSigner;
import io.imagegate.testing.GgcrRegistry;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.Oras;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures and attestations travel with an imported image: signed upstream with the real cosign,
 * verified by the real cosign in the target, seen by ORAS; through the tag schema (the distribution
 * registry) and the referrers API (go-containerregistry's registry) on either side, merged with
 * what the target holds.
 */
@NeedsComponents
class ReferrerCopyTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    static final String ATTESTATION = "https://example.com/attestations/test/v1";
    static final AtomicInteger SEED = new AtomicInteger(1000);
    static CosignSigner upstreamKey;
    static CosignSigner ourKey;
    static GgcrRegistry ggcr;

    @TempDir Path dir;

    @BeforeAll
    static void keys() {
        upstreamKey = new CosignSigner();
        ourKey = new CosignSigner();
        ggcr = new GgcrRegistry();
    }

    @AfterAll
    static void close() {
        upstreamKey.close();
        ourKey.close();
        ggcr.close();
    }

    /** A new image upstream, under {@code repository:1}: its reference by digest. */
    private static String pushUpstream(String repository) {
        TestImages.Image image =
                TestImages.randomImage(
                        SEED.incrementAndGet(), Platform.parse("linux/amd64"), 1_000, true);
        new ImagePusher(upstream).push(repository, "1", image);
        return upstream.hostPort() + "/" + repository + "@" + image.digest();
    }

    private ImportResult importImage(String source, String target, String referrers) {
        return ImageGate.create(TestSettings.in(dir))
                .importImage(
                        ImportSpec.builder()
                                .source(source)
                                .target(target)
                                .referrers(referrers)
                                .build(),
                        ProgressListener.NONE);
    }

    /**
     * The manifest, blob and referrers requests a registry saw since it was cleared, as "METHOD
     * PATH STATUS".
     */
    private static List<String> contentRequests(RegistryExtension r) {
        return r.awaitRequests().stream()
                .filter(
                        q ->
                                q.isManifest()
                                        || q.isBlob()
                                        || q.path().contains("/referrers/")
                                        || q.path().endsWith("/tags/list"))
                .map(q -> q.method() + " " + q.path() + " " + q.status())
                .toList();
    }

    private static String digestOf(String reference) {
        return reference.substring(reference.indexOf('@') + 1);
    }

    private static String byDigest(String target, String digest) {
        return target.substring(0, target.lastIndexOf(':')) + "@" + digest;
    }

    @Test
    void signaturesAndAttestationsTravelAndVerifyInTheTarget() throws IOException {
        String source = pushUpstream("signed/app");
        upstreamKey.sign(source);
        upstreamKey.signLegacy(source);
        upstreamKey.attest(source, ATTESTATION, "{\"built\":\"upstream\"}");

        String target = registry.hostPort() + "/mirror/signed:1";
        ImportResult result = importImage(source, target, null);
        Digest digest = Digest.parse(digestOf(source));

        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.PASSED);
        // two bundles (signature, attestation) and the legacy .sig tag
        assertThat(result.referrers()).isEqualTo(3);
        String copy = byDigest(target, digestOf(source));
        upstreamKey.verify(copy);
        upstreamKey.verifyAttestation(copy, ATTESTATION);
        assertThat(
                        new ImagePusher(registry)
                                .tagExists("mirror/signed", "sha256-" + digest.hex() + ".sig"))
                .isTrue();
        String discovered = Oras.run("discover", "--plain-http", "--format", "json", copy);
        JsonNode referrers =
                new ObjectMapper()
                        .readTree(discovered.substring(discovered.indexOf('{')))
                        .path("referrers");
        assertThat(referrers)
                .hasSize(2)
                .allSatisfy(
                        r ->
                                assertThat(r.path("artifactType").asText())
                                        .isEqualTo(
                                                "application/vnd.dev.sigstore.bundle.v0.3+json"));

        // Unchanged source, unchanged referrers: nothing more is carried, and nothing is read but
        // the listings.
        upstream.clearRequests();
        registry.clearRequests();
        ImportResult again = importImage(source, target, null);
        assertThat(again.upToDate()).isTrue();
        assertThat(again.referrers()).isZero();
        String tag = "sha256-" + digest.hex();
        // (the source is named by digest: no HEAD resolves it; one tag listing says which of its
        // tags exist)
        assertThat(contentRequests(upstream))
                .containsExactlyInAnyOrder(
                        "GET /v2/signed/app/tags/list 200",
                        "GET /v2/signed/app/manifests/" + tag + " 200",
                        "GET /v2/signed/app/referrers/" + digest + " 404",
                        "HEAD /v2/signed/app/manifests/" + tag + ".sig 200");
        assertThat(contentRequests(registry))
                .containsExactlyInAnyOrder(
                        "HEAD /v2/mirror/signed/manifests/1 200",
                        "GET /v2/mirror/signed/manifests/" + tag + " 200",
                        "GET /v2/mirror/signed/referrers/" + digest + " 404",
                        "HEAD /v2/mirror/signed/manifests/" + tag + ".sig 200");
    }

    @Test
    void theLegacySignatureTagAloneVerifiesInTheTarget() {
        String source = pushUpstream("legacy/app");
        upstreamKey.signLegacy(source);

        String target = registry.hostPort() + "/mirror/legacy:1";
        assertThat(importImage(source, target, null).referrers()).isEqualTo(1);

        upstreamKey.verify(byDigest(target, digestOf(source)));
    }

    @Test
    void referrersNoneCarriesNothing() {
        String source = pushUpstream("none/app");
        upstreamKey.sign(source);
        upstreamKey.signLegacy(source);

        String target = registry.hostPort() + "/mirror/none:1";
        ImportResult result = importImage(source, target, "none");

        assertThat(result.referrers()).isZero();
        Digest digest = Digest.parse(digestOf(source));
        ImagePusher check = new ImagePusher(registry);
        assertThat(check.tagExists("mirror/none", "sha256-" + digest.hex())).isFalse();
        assertThat(check.tagExists("mirror/none", "sha256-" + digest.hex() + ".sig")).isFalse();
        assertThatThrownBy(() -> upstreamKey.verify(byDigest(target, digestOf(source))))
                .hasMessageContaining("no signatures found");
    }

    @Test
    void referrersSignaturesCarriesCosignSignaturesOnly() {
        String source = pushUpstream("sigonly/app");
        upstreamKey.sign(source);
        upstreamKey.signLegacy(source);
        upstreamKey.attest(source, ATTESTATION, "{\"built\":\"upstream\"}");
        // the legacy attestation tag too
        upstreamKey.cosign(
                List.of(
                        "attest",
                        "--key",
                        "cosign.key",
                        "--use-signing-config=false",
                        "--tlog-upload=false",
                        "--yes",
                        "--allow-http-registry",
                        "--new-bundle-format=false",
                        "--predicate",
                        "predicate.json",
                        "--type",
                        ATTESTATION,
                        source));

        String target = registry.hostPort() + "/mirror/sigonly:1";
        ImportResult result = importImage(source, target, "signatures");

        assertThat(result.referrers()).isEqualTo(2);
        String copy = byDigest(target, digestOf(source));
        upstreamKey.verify(copy);
        assertThatThrownBy(() -> upstreamKey.verifyAttestation(copy, ATTESTATION))
                .isInstanceOf(IllegalStateException.class);
        Digest digest = Digest.parse(digestOf(source));
        assertThat(
                        new ImagePusher(registry)
                                .tagExists("mirror/sigonly", "sha256-" + digest.hex() + ".att"))
                .isFalse();
    }

    @Test
    void theTargetsOwnSignaturesAreKeptWhenTheSourcesArrive() {
        String source = pushUpstream("merge1/app");
        upstreamKey.sign(source);
        upstreamKey.signLegacy(source);
        String target = registry.hostPort() + "/mirror/merge1:1";
        String copy = byDigest(target, digestOf(source));
        // The target holds the image, signed by us (both formats), before the source's signatures
        // arrive.
        assertThat(importImage(source, target, "none").outcome()).isEqualTo(Outcome.PASSED);
        ourKey.sign(copy);
        ourKey.signLegacy(copy);

        ImportResult result = importImage(source, target, null);

        assertThat(result.upToDate()).isTrue();
        assertThat(result.referrers()).isEqualTo(2);
        upstreamKey.verify(copy);
        ourKey.verify(copy);
        // each key's legacy signature alone, in the merged .sig tag
        upstreamKey.cosign(
                List.of(
                        "verify",
                        "--key",
                        "cosign.pub",
                        "--insecure-ignore-tlog",
                        "--allow-http-registry",
                        "--new-bundle-format=false",
                        copy));
        ourKey.cosign(
                List.of(
                        "verify",
                        "--key",
                        "cosign.pub",
                        "--insecure-ignore-tlog",
                        "--allow-http-registry",
                        "--new-bundle-format=false",
                        copy));
    }

    @Test
    void signaturesAddedInTheTargetAfterTheImportAreKeptByTheNextImport() {
        String source = pushUpstream("merge2/app");
        upstreamKey.sign(source);
        upstreamKey.signLegacy(source);
        String target = registry.hostPort() + "/mirror/merge2:1";
        String copy = byDigest(target, digestOf(source));
        assertThat(importImage(source, target, null).referrers()).isEqualTo(2);
        ourKey.sign(copy);
        ourKey.signLegacy(copy);
        // the source is signed once more upstream: the next import carries that one and keeps ours
        upstreamKey.sign(source);

        assertThat(importImage(source, target, null).referrers()).isEqualTo(1);

        upstreamKey.verify(copy);
        ourKey.verify(copy);
        ourKey.cosign(
                List.of(
                        "verify",
                        "--key",
                        "cosign.pub",
                        "--insecure-ignore-tlog",
                        "--allow-http-registry",
                        "--new-bundle-format=false",
                        copy));
    }

    @Test
    void intoARegistryWithTheReferrersApi() throws IOException {
        String source = pushUpstream("api/app");
        upstreamKey.sign(source);
        upstreamKey.attest(source, ATTESTATION, "{\"built\":\"upstream\"}");

        String target = ggcr.hostPort() + "/mirror/api:1";
        ImportResult result = importImage(source, target, null);

        assertThat(result.referrers()).isEqualTo(2);
        String copy = byDigest(target, digestOf(source));
        upstreamKey.verify(copy);
        upstreamKey.verifyAttestation(copy, ATTESTATION);
        String discovered = Oras.run("discover", "--plain-http", "--format", "json", copy);
        assertThat(
                        new ObjectMapper()
                                .readTree(discovered.substring(discovered.indexOf('{')))
                                .path("referrers"))
                .hasSize(2);
    }

    @Test
    void fromARegistryWithTheReferrersApi() {
        String upstreamRef = pushUpstream("apisrc/app");
        String source = ggcr.hostPort() + "/apisrc/app:1";
        assertThat(importImage(upstreamRef, source, "none").outcome()).isEqualTo(Outcome.PASSED);
        String sourceByDigest = byDigest(source, digestOf(upstreamRef));
        upstreamKey.sign(sourceByDigest);

        String target = registry.hostPort() + "/mirror/apisrc:1";
        assertThat(importImage(source, target, null).referrers()).isEqualTo(1);

        upstreamKey.verify(byDigest(target, digestOf(upstreamRef)));
    }

    /**
     * An upstream that attaches imagegate verdicts (an artifact, and a signed-verdict bundle) has
     * them left behind: a verdict is imagegate's own word, never one copied from upstream. Its
     * cosign signature still travels.
     */
    @Test
    void imagegateVerdictsFromUpstreamNeverTravel() throws IOException {
        String source = pushUpstream("verdicts/app");
        Digest subject = Digest.parse(digestOf(source));
        try (io.imagegate.registry.RegistryClient client =
                new io.imagegate.registry.RegistryClient(
                        io.imagegate.registry.TransportOptions.defaults(),
                        io.imagegate.registry.auth.CredentialProvider.anonymous(),
                        io.imagegate.registry.TransportListener.NONE)) {
            io.imagegate.registry.RemoteRepository repository =
                    client.push(io.imagegate.reference.ImageReference.parse(source));
            byte[] document =
                    "{\"verdict\":\"PASS\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String statement =
                    "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[],\"predicateType\":\""
                            + io.imagegate.oci.MediaTypes.IMAGEGATE_VERDICT_PREDICATE
                            + "\",\"predicate\":{}}";
            byte[] bundle =
                    ("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"dsseEnvelope\":{\"payloadType\":"
                                    + "\"application/vnd.in-toto+json\",\"payload\":\""
                                    + java.util.Base64.getEncoder()
                                            .encodeToString(
                                                    statement.getBytes(
                                                            java.nio.charset.StandardCharsets
                                                                    .UTF_8))
                                    + "\",\"signatures\":[]}}")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            List<io.imagegate.oci.Manifest> referrers =
                    List.of(
                            referrer(
                                    repository,
                                    subject,
                                    io.imagegate.oci.MediaTypes.IMAGEGATE_VERDICT,
                                    document),
                            referrer(
                                    repository,
                                    subject,
                                    "application/vnd.dev.sigstore.bundle.v0.3+json",
                                    bundle));
            io.imagegate.referrers.Referrers.push(
                    repository,
                    referrers,
                    java.util.Set.of(),
                    io.imagegate.referrers.Referrers.Superseded.NEVER);
        }
        upstreamKey.sign(source);

        String target = registry.hostPort() + "/mirror/verdicts:1";
        ImportResult result = importImage(source, target, null);

        assertThat(result.referrers()).as("only the cosign signature").isEqualTo(1);
        JsonNode index =
                new ObjectMapper()
                        .readTree(
                                new ImagePusher(registry)
                                        .getManifest("mirror/verdicts", "sha256-" + subject.hex()));
        assertThat(index.path("manifests"))
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.path("artifactType").asText())
                                        .isEqualTo(
                                                "application/vnd.dev.sigstore.bundle.v0.3+json"));
        upstreamKey.verify(byDigest(target, subject.toString()));
    }

    /**
     * The source's referrers tag index is a claim: an entry that is an unrelated image, or a
     * referrer of another image, is not carried (the target would list as this image's signature
     * whatever the source's index named).
     */
    @Test
    void listingEntriesThatAreNotReferrersOfTheImageAreNotCarried() throws IOException {
        String source = pushUpstream("claims/app");
        String other = pushUpstream("claims/app-other");
        Digest subject = Digest.parse(digestOf(source));
        ImagePusher pusher = new ImagePusher(upstream);
        TestImages.Image unrelated =
                TestImages.randomImage(
                        SEED.incrementAndGet(), Platform.parse("linux/amd64"), 500, true);
        pusher.push("claims/app", "unrelated", unrelated);
        // a real cosign signature of the other image, pushed into this repository
        upstreamKey.sign(other);
        JsonNode otherIndex =
                new ObjectMapper()
                        .readTree(
                                pusher.getManifest(
                                        "claims/app-other",
                                        "sha256-" + Digest.parse(digestOf(other)).hex()));
        String signatureOfOther = otherIndex.path("manifests").get(0).path("digest").asText();
        Digest otherSignature = Digest.parse(signatureOfOther);
        JsonNode signatureManifest =
                new ObjectMapper()
                        .readTree(pusher.getManifest("claims/app-other", signatureOfOther));
        for (JsonNode blob :
                List.of(
                        signatureManifest.path("config"),
                        signatureManifest.path("layers").get(0))) {
            Digest d = Digest.parse(blob.path("digest").asText());
            pusher.pushBlob(
                    "claims/app",
                    new TestImages.Blob(
                            blob.path("mediaType").asText(),
                            upstreamBlob("claims/app-other", d),
                            d));
        }
        pusher.putManifest(
                "claims/app",
                signatureOfOther,
                io.imagegate.oci.MediaTypes.OCI_MANIFEST,
                pusher.getManifest("claims/app-other", signatureOfOther));
        String index =
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                        + "{\"mediaType\":\""
                        + unrelated.mediaType()
                        + "\",\"digest\":\""
                        + unrelated.digest()
                        + "\",\"size\":"
                        + unrelated.bytes().length
                        + ",\"artifactType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"},"
                        + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
                        + otherSignature
                        + "\",\"size\":"
                        + otherIndex.path("manifests").get(0).path("size").asLong()
                        + "}]}";
        pusher.putManifest(
                "claims/app",
                "sha256-" + subject.hex(),
                io.imagegate.oci.MediaTypes.OCI_INDEX,
                index.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        String target = registry.hostPort() + "/mirror/claims:1";
        ImportResult result = importImage(source, target, null);

        assertThat(result.referrers()).isZero();
        ImagePusher check = new ImagePusher(registry);
        assertThat(check.tagExists("mirror/claims", "sha256-" + subject.hex())).isFalse();
        assertThat(check.manifestDigest("mirror/claims", unrelated.digest().toString())).isEmpty();
        assertThatThrownBy(() -> upstreamKey.verify(byDigest(target, subject.toString())))
                .hasMessageContaining("no signatures found");
    }

    private static byte[] upstreamBlob(String repository, Digest digest) {
        return new ImagePusher(upstream).getBlob(repository, digest);
    }

    /**
     * A referrer of {@code subject} with one layer of {@code content} and that artifact type, its
     * blobs pushed.
     */
    private static io.imagegate.oci.Manifest referrer(
            io.imagegate.registry.RemoteRepository repository,
            Digest subject,
            String type,
            byte[] content) {
        byte[] empty = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        repository.pushBlob(
                new io.imagegate.oci.Descriptor(
                        io.imagegate.oci.MediaTypes.OCI_EMPTY, Digest.sha256(empty), 2),
                empty);
        repository.pushBlob(
                new io.imagegate.oci.Descriptor(type, Digest.sha256(content), content.length),
                content);
        com.fasterxml.jackson.databind.node.ObjectNode m = new ObjectMapper().createObjectNode();
        m.put("schemaVersion", 2)
                .put("mediaType", io.imagegate.oci.MediaTypes.OCI_MANIFEST)
                .put("artifactType", type);
        m.putObject("config")
                .put("mediaType", io.imagegate.oci.MediaTypes.OCI_EMPTY)
                .put("digest", Digest.sha256(empty).toString())
                .put("size", 2);
        m.putArray("layers")
                .addObject()
                .put("mediaType", type)
                .put("digest", Digest.sha256(content).toString())
                .put("size", content.length);
        m.putObject("subject")
                .put("mediaType", io.imagegate.oci.MediaTypes.OCI_MANIFEST)
                .put("digest", subject.toString())
                .put("size", 1);
        return io.imagegate.oci.Manifest.create(m, "test referrer");
    }
}
