package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.api.ImageGate;
import io.imagegate.api.ImportSpec;
import io.imagegate.api.Outcome;
import io.imagegate.api.ProgressListener;
import io.imagegate.api.ScanResult;
import io.imagegate.api.ScanSpec;
import io.imagegate.api.StoredVerdict;
import io.imagegate.api.SyncResult;
import io.imagegate.api.SyncSpec;
import io.imagegate.api.TrivySettings;
import io.imagegate.api.VerdictSpec;
import io.imagegate.api.VetResult;
import io.imagegate.api.VetSpec;
import io.imagegate.oci.MediaTypes;
import io.imagegate.oci.Platform;
import io.imagegate.reference.Digest;
import io.imagegate.testing.Cosign;
import io.imagegate.testing.FixtureVulnerabilityDb;
import io.imagegate.testing.GgcrRegistry;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.RegistryFront;
import io.imagegate.testing.SigstoreTestStack;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import io.imagegate.testing.ToolProcess;
import io.imagegate.trust.PublicKeys;
import io.imagegate.trust.SimpleSigning;
import io.imagegate.trust.UpstreamSignatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream signatures checked before anything is copied (issue 21, part 3), with real cosign v3.1.3
 * signatures in both of its formats, against the real registry, and real Trivy where an image gets
 * that far. Every forgery is checked with cosign too: what cosign refuses, imagegate refuses.
 */
@NeedsComponents
class UpstreamSignaturesTest {
    @RegisterExtension static final RegistryExtension upstream = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension registry = RegistryExtension.anonymous();

    static final Platform AMD64 = Platform.parse("linux/amd64");
    static final String BUNDLE_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Keys and policies: the policies name the keys relative to themselves. Deleted after the
     * class.
     */
    @TempDir static Path keys;

    static Cosign.KeyPair upstreamKey;
    static Cosign.KeyPair otherKey;
    static Path required;

    @TempDir Path dir;

    @BeforeAll
    static void keysAndPolicy() throws IOException {
        upstreamKey = Cosign.generateKeyPair(keys, "upstream", "upstream-Password-1");
        otherKey = Cosign.generateKeyPair(keys, "other", "other-Password-2");
        required =
                Files.writeString(
                        keys.resolve("signed.yaml"),
                        """
                failOn: HIGH
                signatures:
                  required: true
                  keys: [upstream.pub]
                """);
    }

    /**
     * A clean Alpine-like image (nothing in the fixture DB matches it), distinct per {@code name}.
     */
    private static Digest pushClean(String repository, String tag, String name) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("etc/alpine-release", "3.22.0\n".getBytes(StandardCharsets.UTF_8));
        files.put(
                "lib/apk/db/installed",
                "P:busybox\nV:1.37.0-r30\nA:x86_64\no:busybox\n\n"
                        .getBytes(StandardCharsets.UTF_8));
        files.put("etc/motd", (name + "\n").getBytes(StandardCharsets.UTF_8));
        TestImages.Image image =
                TestImages.image(AMD64, List.of(TestImages.layer(files, true)), true);
        return new ImagePusher(upstream).push(repository, tag, image).digest();
    }

    private static String up(String path) {
        return upstream.hostPort() + "/" + path;
    }

    private static String priv(String path) {
        return registry.hostPort() + "/" + path;
    }

    private ImageGate api() {
        return ImageGate.create(TestSettings.in(dir));
    }

    /** Vets with the real Trivy and the fixture DB. */
    private VetResult vet(String source, String target, Path policy) {
        TrivySettings trivy =
                TrivySettings.builder()
                        .cacheDir(FixtureVulnerabilityDb.cacheDir().toString())
                        .skipDbUpdate(true)
                        .skipJavaDbUpdate(true)
                        .offlineScan(true)
                        .build();
        return api().vet(
                        VetSpec.builder()
                                .source(source)
                                .target(target)
                                .policy(policy.toString())
                                .trivy(trivy)
                                .build(),
                        ProgressListener.NONE);
    }

    /**
     * Vets with a Trivy that does not exist: if vetting ran it, the vet would fail with an error,
     * not a verdict.
     */
    private VetResult vetWithoutTrivy(String source, String target, Path policy) {
        return api().vet(
                        VetSpec.builder()
                                .source(source)
                                .target(target)
                                .policy(policy.toString())
                                .trivy(
                                        TrivySettings.builder()
                                                .path(dir.resolve("no-trivy").toString())
                                                .build())
                                .build(),
                        ProgressListener.NONE);
    }

    /**
     * The one verdict document stored for {@code reference}, checked against the published schema.
     */
    private JsonNode storedDocument(String reference) throws IOException {
        List<StoredVerdict> verdicts = api().verdicts(new VerdictSpec(reference)).verdicts();
        assertThat(verdicts).as(reference).hasSize(1);
        JsonNode document = JSON.readTree(verdicts.get(0).document());
        com.networknt.schema.JsonSchema schema =
                com.networknt.schema.JsonSchemaFactory.getInstance(
                                com.networknt.schema.SpecVersion.VersionFlag.V202012)
                        .getSchema(
                                Files.readString(
                                        FixtureVulnerabilityDb.projectRoot()
                                                .resolve("docs/verdict-v1.schema.json")));
        assertThat(schema.validate(document)).as("schema violations").isEmpty();
        return document;
    }

    /**
     * The document of the newest verdict stored for {@code reference} (beside it or in quarantine).
     */
    private JsonNode newestDocument(String reference) throws IOException {
        StoredVerdict newest =
                api().verdicts(new VerdictSpec(reference)).verdicts().stream()
                        .max(
                                java.util.Comparator.comparing(
                                        v -> java.time.Instant.parse(v.created())))
                        .orElseThrow();
        return JSON.readTree(newest.document());
    }

    private static String fingerprint(Path publicKey) {
        return PublicKeys.load(publicKey, "test").fingerprint();
    }

    /**
     * Refused before anything is copied: a FAIL, no Trivy run, nothing under the trusted name nor
     * in quarantine but the FAIL verdict, whose reason says why. Returns that reason.
     */
    private String assertRefusedUnsigned(String repository, Digest digest, String target)
            throws IOException {
        return assertRefusedUnsigned(repository, digest, target, required);
    }

    private String assertRefusedUnsigned(
            String repository, Digest digest, String target, Path policy) throws IOException {
        VetResult result =
                vetWithoutTrivy(up(repository + "@" + digest), priv(target + ":1"), policy);
        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.POLICY_FAILED);
        assertThat(result.promoted()).isFalse();
        assertThat(result.digest()).isEqualTo(digest.toString());
        ImagePusher check = new ImagePusher(registry);
        assertThat(check.tagExists(target, "1")).isFalse();
        assertThat(check.tagExists("quarantine/" + target, "1")).isFalse();
        assertThat(check.manifestDigest("quarantine/" + target, digest.toString())).isEmpty();
        JsonNode doc = storedDocument(priv("quarantine/" + target + "@" + digest));
        assertThat(doc.path("verdict").asText()).isEqualTo("FAIL");
        assertThat(doc.path("scanner").path("name").asText()).isEqualTo("none");
        assertThat(doc.path("signatures").path("required").asBoolean()).isTrue();
        assertThat(doc.path("signatures").path("verified").asBoolean()).isFalse();
        assertThat(doc.path("signatures").path("signedBy")).isEmpty();
        String reason = doc.path("signatures").path("reason").asText();
        assertThat(doc.path("platforms").get(0).path("reasons").get(0).asText()).isEqualTo(reason);
        assertThat(String.join("\n", result.lines())).contains(reason);
        return reason;
    }

    // ------------------------------------------------------------------ signed by a listed key

    @Test
    void anImageSignedWithCosignsBundleByAListedKeyIsVettedAndTheVerdictNamesTheKey()
            throws IOException {
        Digest digest = pushClean("library/bundle-signed", "1", "bundle-signed");
        Cosign.sign(up("library/bundle-signed@" + digest), upstreamKey, true);
        Cosign.verify(up("library/bundle-signed@" + digest), upstreamKey.publicKey());

        VetResult result =
                vet(up("library/bundle-signed:1"), priv("base/bundle-signed:1"), required);

        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.PASSED);
        assertThat(result.promoted()).isTrue();
        assertThat(new ImagePusher(registry).manifestDigest("base/bundle-signed", "1"))
                .contains(digest);
        JsonNode signatures = storedDocument(priv("base/bundle-signed:1")).path("signatures");
        assertThat(signatures.path("verified").asBoolean()).isTrue();
        assertThat(signatures.path("signedBy"))
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.path("format").asText()).isEqualTo("sigstore-bundle");
                            assertThat(s.path("keyFile").asText()).isEqualTo("upstream.pub");
                            assertThat(s.path("key").asText())
                                    .isEqualTo(fingerprint(upstreamKey.publicKey()));
                        });
        assertThat(signatures.has("reason")).isFalse();
    }

    @Test
    void anImageSignedWithCosignsLegacySignatureTagByAListedKeyIsVetted() throws IOException {
        Digest digest = pushClean("library/legacy-signed", "1", "legacy-signed");
        Cosign.sign(up("library/legacy-signed@" + digest), upstreamKey, false);
        assertThat(
                        new ImagePusher(upstream)
                                .tagExists("library/legacy-signed", SimpleSigning.tagOf(digest)))
                .isTrue();
        Cosign.verify(up("library/legacy-signed@" + digest), upstreamKey.publicKey());

        VetResult result =
                vet(up("library/legacy-signed:1"), priv("base/legacy-signed:1"), required);

        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.PASSED);
        assertThat(new ImagePusher(registry).manifestDigest("base/legacy-signed", "1"))
                .contains(digest);
        JsonNode signedBy =
                storedDocument(priv("base/legacy-signed:1")).path("signatures").path("signedBy");
        assertThat(signedBy)
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.path("format").asText()).isEqualTo("simple-signing");
                            assertThat(s.path("artifact").asText())
                                    .isEqualTo(
                                            new ImagePusher(upstream)
                                                    .manifestDigest(
                                                            "library/legacy-signed",
                                                            SimpleSigning.tagOf(digest))
                                                    .orElseThrow()
                                                    .toString());
                        });
    }

    @Test
    void aKeyListedBesideOthersCountsSoKeysCanBeRotated() throws IOException {
        Path rotating =
                Files.writeString(
                        keys.resolve("rotating.yaml"),
                        "signatures:\n  keys: [upstream.pub, other.pub]\n");
        Digest digest = pushClean("library/rotated", "1", "rotated");
        Cosign.sign(up("library/rotated@" + digest), otherKey, true);

        VetResult result = vet(up("library/rotated:1"), priv("base/rotated:1"), rotating);

        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.PASSED);
        JsonNode signatures = storedDocument(priv("base/rotated:1")).path("signatures");
        assertThat(signatures.path("required").asBoolean()).as("required is the default").isTrue();
        assertThat(signatures.path("keys")).hasSize(2);
        assertThat(signatures.path("signedBy").get(0).path("keyFile").asText())
                .isEqualTo("other.pub");
    }

    @Test
    void bundlesAreFoundThroughTheReferrersApiAndACorruptOneIsRefused() throws IOException {
        try (RegistryFront front = new RegistryFront(upstream)) {
            front.serveReferrersApi(true);
            Digest digest = pushClean("library/via-api", "1", "via-api");
            String image = front.hostPort() + "/library/via-api";
            Cosign.sign(image + "@" + digest, upstreamKey, true);
            // the front indexed cosign's referrer itself: no referrers tag was written
            assertThat(
                            new ImagePusher(upstream)
                                    .tagExists("library/via-api", "sha256-" + digest.hex()))
                    .isFalse();

            VetResult result = vet(image + ":1", priv("base/via-api:1"), required);
            assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.PASSED);
            assertThat(front.referrersQueries()).isPositive();
            String bundleLayer =
                    storedDocument(priv("base/via-api:1"))
                            .path("signatures")
                            .path("signedBy")
                            .get(0)
                            .path("artifact")
                            .asText();
            JsonNode referrer =
                    JSON.readTree(
                            new ImagePusher(upstream).getManifest("library/via-api", bundleLayer));

            // the same bundle, altered on the way: refused as corrupt, not believed
            front.corruptBlob(referrer.path("layers").get(0).path("digest").asText());
            VetResult corrupt =
                    api().vet(
                                    VetSpec.builder()
                                            .source(image + ":1")
                                            .target(priv("base/via-api-corrupt:1"))
                                            .policy(required.toString())
                                            .trivy(
                                                    TrivySettings.builder()
                                                            .path(
                                                                    dir.resolve("no-trivy")
                                                                            .toString())
                                                            .build())
                                            .build(),
                                    ProgressListener.NONE);
            assertThat(corrupt.outcome()).as(corrupt.toString()).isEqualTo(Outcome.POLICY_FAILED);
            assertThat(String.join("\n", corrupt.lines()))
                    .contains("1 signature examined")
                    .contains("does not match its descriptor");
        }
    }

    @Test
    void bundlesAreFoundInGoContainerregistrysRegistryToo() throws IOException {
        try (GgcrRegistry ggcr = new GgcrRegistry()) {
            pushClean("library/ggcr", "1", "ggcr");
            String image = ggcr.hostPort() + "/library/ggcr";
            assertThat(
                            api().importImage(
                                            ImportSpec.builder()
                                                    .source(up("library/ggcr:1"))
                                                    .target(image + ":1")
                                                    .build(),
                                            ProgressListener.NONE)
                                    .outcome())
                    .isEqualTo(Outcome.PASSED);
            Digest digest =
                    new ImagePusher(upstream).manifestDigest("library/ggcr", "1").orElseThrow();
            Cosign.sign(image + "@" + digest, upstreamKey, true);
            Cosign.verify(image + "@" + digest, upstreamKey.publicKey());

            VetResult result = vet(image + ":1", priv("base/ggcr:1"), required);

            assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.PASSED);
            assertThat(
                            storedDocument(priv("base/ggcr:1"))
                                    .path("signatures")
                                    .path("signedBy")
                                    .get(0)
                                    .path("format")
                                    .asText())
                    .isEqualTo("sigstore-bundle");
        }
    }

    // ------------------------------------------------------------------ refused before anything is
    // copied

    @Test
    void anUnsignedImageFailsBeforeItIsCopiedOrScanned() throws IOException {
        Digest digest = pushClean("library/unsigned", "1", "unsigned");
        upstream.clearRequests();

        String reason = assertRefusedUnsigned("library/unsigned", digest, "base/unsigned");

        assertThat(reason)
                .contains("no cosign signature of " + digest + " was found upstream")
                .contains("upstream.pub");
        // Nothing but manifests was read upstream: no layer left it.
        assertThat(upstream.awaitRequests()).noneMatch(r -> r.path().contains("/blobs/"));
    }

    @Test
    void anUnsignedPlatformSubsetIsJudgedAsTheIndexTheVetWouldHaveMade() throws IOException {
        Map<String, byte[]> files = Map.of("etc/motd", "subset\n".getBytes(StandardCharsets.UTF_8));
        TestImages.Image amd64 =
                TestImages.image(AMD64, List.of(TestImages.layer(files, true)), true);
        TestImages.Image arm64 =
                TestImages.image(
                        Platform.parse("linux/arm64"),
                        List.of(TestImages.layer(files, true)),
                        true);
        TestImages.Index index = TestImages.index(List.of(amd64, arm64), true);
        new ImagePusher(upstream).push("library/subset", "1", index);

        VetResult result =
                api().vet(
                                VetSpec.builder()
                                        .source(up("library/subset:1"))
                                        .target(priv("base/subset:1"))
                                        .platforms(List.of("linux/arm64"))
                                        .policy(required.toString())
                                        .trivy(
                                                TrivySettings.builder()
                                                        .path(dir.resolve("no-trivy").toString())
                                                        .build())
                                        .build(),
                                ProgressListener.NONE);

        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.POLICY_FAILED);
        Digest reduced = Digest.parse(result.digest());
        assertThat(reduced).isNotEqualTo(index.digest());
        JsonNode doc = storedDocument(priv("quarantine/base/subset@" + reduced));
        assertThat(doc.path("subject").path("digest").asText()).isEqualTo(reduced.toString());
        assertThat(doc.path("subject").path("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(doc.path("source").asText()).endsWith("@" + index.digest());
        assertThat(doc.path("signatures").path("reason").asText())
                .contains("no cosign signature of " + index.digest());
        assertThat(new ImagePusher(registry).tagExists("quarantine/base/subset", "1")).isFalse();
    }

    @Test
    void signaturesByAnUnlistedKeyDoNotCountInEitherFormat() throws IOException {
        Digest digest = pushClean("library/other-key", "1", "other-key");
        Cosign.sign(up("library/other-key@" + digest), otherKey, true);
        Cosign.sign(up("library/other-key@" + digest), otherKey, false);
        assertThatThrownBy(
                        () ->
                                Cosign.verify(
                                        up("library/other-key@" + digest), upstreamKey.publicKey()))
                .hasMessageContaining("cosign failed");

        String reason = assertRefusedUnsigned("library/other-key", digest, "base/other-key");

        assertThat(reason)
                .contains("2 signatures examined")
                .contains("bundle sha256:")
                .contains(SimpleSigning.tagOf(digest) + " layer 1")
                .contains("does not verify with any listed key");
    }

    @Test
    void aBundleCopiedFromAnotherImageDoesNotCount() throws IOException {
        Digest signed = pushClean("library/copied-bundle", "signed", "copied-bundle-signed");
        Digest victim = pushClean("library/copied-bundle", "victim", "copied-bundle-victim");
        Cosign.sign(up("library/copied-bundle@" + signed), upstreamKey, true);
        // The valid bundle of the signed image, attached to the other one as its referrer (subject
        // rewritten).
        ObjectNode referrer =
                (ObjectNode) JSON.readTree(bundleReferrer("library/copied-bundle", signed));
        referrer.set("subject", descriptor("library/copied-bundle", victim));
        replaceReferrers("library/copied-bundle", victim, List.of(referrer));
        assertThatThrownBy(
                        () ->
                                Cosign.verify(
                                        up("library/copied-bundle@" + victim),
                                        upstreamKey.publicKey()))
                .hasMessageContaining("cosign failed");

        String reason =
                assertRefusedUnsigned("library/copied-bundle", victim, "base/copied-bundle");

        assertThat(reason)
                .contains("signed by upstream.pub")
                .contains("for another image (sha256:" + signed.hex() + ")");
    }

    @Test
    void aLegacySignatureCopiedFromAnotherImageDoesNotCount() throws IOException {
        Digest signed = pushClean("library/copied-sig", "signed", "copied-sig-signed");
        Digest victim = pushClean("library/copied-sig", "victim", "copied-sig-victim");
        Cosign.sign(up("library/copied-sig@" + signed), upstreamKey, false);
        ImagePusher pusher = new ImagePusher(upstream);
        byte[] sig = pusher.getManifest("library/copied-sig", SimpleSigning.tagOf(signed));
        pusher.putManifest(
                "library/copied-sig", SimpleSigning.tagOf(victim), MediaTypes.OCI_MANIFEST, sig);
        assertThatThrownBy(
                        () ->
                                Cosign.verify(
                                        up("library/copied-sig@" + victim),
                                        upstreamKey.publicKey()))
                .hasMessageContaining("cosign failed");

        String reason = assertRefusedUnsigned("library/copied-sig", victim, "base/copied-sig");

        assertThat(reason)
                .contains("signed by upstream.pub")
                .contains("for another image (" + signed + ")");
    }

    @Test
    void aBundleWithOneByteOfItsPayloadOrSignatureChangedDoesNotCount() throws IOException {
        for (String part : List.of("payload", "sig")) {
            String repository = "library/tampered-bundle-" + part;
            Digest digest = pushClean(repository, "1", "tampered-bundle-" + part);
            Cosign.sign(up(repository + "@" + digest), upstreamKey, true);
            ObjectNode referrer = (ObjectNode) JSON.readTree(bundleReferrer(repository, digest));
            ObjectNode layer = (ObjectNode) referrer.path("layers").get(0);
            ObjectNode bundle =
                    (ObjectNode)
                            JSON.readTree(
                                    new ImagePusher(upstream)
                                            .getBlob(
                                                    repository,
                                                    Digest.parse(layer.path("digest").asText())));
            ObjectNode envelope = (ObjectNode) bundle.path("dsseEnvelope");
            if (part.equals("payload")) {
                envelope.put("payload", flipOneByte(envelope.path("payload").asText(), 40));
            } else {
                ObjectNode signature = (ObjectNode) envelope.path("signatures").get(0);
                signature.put("sig", flipOneByte(signature.path("sig").asText(), 20));
            }
            TestImages.Blob tampered =
                    new TestImages.Blob(BUNDLE_TYPE, JSON.writeValueAsBytes(bundle), null);
            new ImagePusher(upstream).pushBlob(repository, tampered);
            layer.put("digest", tampered.digest().toString()).put("size", tampered.size());
            replaceReferrers(repository, digest, List.of(referrer));
            assertThatThrownBy(
                            () ->
                                    Cosign.verify(
                                            up(repository + "@" + digest), upstreamKey.publicKey()))
                    .hasMessageContaining("cosign failed");

            String reason =
                    assertRefusedUnsigned(repository, digest, "base/tampered-bundle-" + part);

            assertThat(reason)
                    .as(part)
                    .contains("1 signature examined")
                    .contains("does not verify with any listed key");
        }
    }

    @Test
    void aLegacySignatureWithOneByteOfItsPayloadOrSignatureChangedDoesNotCount()
            throws IOException {
        for (String part : List.of("payload", "sig")) {
            String repository = "library/tampered-sig-" + part;
            Digest digest = pushClean(repository, "1", "tampered-sig-" + part);
            Cosign.sign(up(repository + "@" + digest), upstreamKey, false);
            ImagePusher pusher = new ImagePusher(upstream);
            ObjectNode sig =
                    (ObjectNode)
                            JSON.readTree(
                                    pusher.getManifest(repository, SimpleSigning.tagOf(digest)));
            ObjectNode layer = (ObjectNode) sig.path("layers").get(0);
            if (part.equals("payload")) {
                byte[] payload =
                        pusher.getBlob(repository, Digest.parse(layer.path("digest").asText()));
                payload[payload.length - 3] ^= 1;
                TestImages.Blob tampered =
                        new TestImages.Blob(SimpleSigning.LAYER_MEDIA_TYPE, payload, null);
                pusher.pushBlob(repository, tampered);
                layer.put("digest", tampered.digest().toString());
            } else {
                ObjectNode annotations = (ObjectNode) layer.path("annotations");
                annotations.put(
                        SimpleSigning.SIGNATURE_ANNOTATION,
                        flipOneByte(
                                annotations.path(SimpleSigning.SIGNATURE_ANNOTATION).asText(), 20));
            }
            pusher.putManifest(
                    repository,
                    SimpleSigning.tagOf(digest),
                    MediaTypes.OCI_MANIFEST,
                    JSON.writeValueAsBytes(sig));
            assertThatThrownBy(
                            () ->
                                    Cosign.verify(
                                            up(repository + "@" + digest), upstreamKey.publicKey()))
                    .hasMessageContaining("cosign failed");

            String reason = assertRefusedUnsigned(repository, digest, "base/tampered-sig-" + part);

            assertThat(reason)
                    .as(part)
                    .contains(SimpleSigning.tagOf(digest) + " layer 1")
                    .contains("does not verify with any listed key");
        }
    }

    @Test
    void aFloodOfReferrersIsReadOnlyUpToTheBoundAndThenTheImageFails() throws IOException {
        String repository = "library/flooded";
        Digest digest = pushClean(repository, "1", "flooded");
        Cosign.sign(up(repository + "@" + digest), upstreamKey, true);
        ObjectNode valid = (ObjectNode) JSON.readTree(bundleReferrer(repository, digest));
        // Listed before the valid bundle: more look-alikes than one check reads.
        List<ObjectNode> referrers = new java.util.ArrayList<>();
        for (int i = 0; i < io.imagegate.trust.UpstreamSignatures.MAX_ARTIFACTS + 8; i++) {
            ObjectNode junk = bundleReferrerSkeleton(repository, digest);
            junk.putObject("annotations").put("n", String.valueOf(i));
            referrers.add(junk);
        }
        referrers.add(valid);
        replaceReferrers(repository, digest, referrers);
        upstream.clearRequests();

        String reason = assertRefusedUnsigned(repository, digest, "base/flooded");

        assertThat(reason)
                .contains(
                        "more than "
                                + io.imagegate.trust.UpstreamSignatures.MAX_ARTIFACTS
                                + " signature artifacts");
        long manifestReads =
                upstream.awaitRequests().stream()
                        .filter(r -> r.path().startsWith("/v2/" + repository + "/manifests/"))
                        .count();
        // the source's HEAD, the referrers index, the bounded referrers (nothing more: not even the
        // legacy tag)
        assertThat(manifestReads)
                .isLessThanOrEqualTo(io.imagegate.trust.UpstreamSignatures.MAX_ARTIFACTS + 2);
    }

    @Test
    void syncRefusesTheUnsignedImageAndVetsItOnceUpstreamSignsIt() throws IOException {
        Digest signed = pushClean("library/synced-signed", "1", "synced-signed");
        Digest late = pushClean("library/synced-late", "1", "synced-late");
        Cosign.sign(up("library/synced-signed@" + signed), upstreamKey, true);
        Path file =
                Files.writeString(
                        keys.resolve("sync.yaml"),
                        """
                policy: signed.yaml
                images:
                  - source: %s/library/synced-signed:1
                    target: %s/base/synced-signed:1
                  - source: %s/library/synced-late:1
                    target: %s/base/synced-late:1
                """
                                .formatted(
                                        upstream.hostPort(),
                                        registry.hostPort(),
                                        upstream.hostPort(),
                                        registry.hostPort()));
        TrivySettings trivy =
                TrivySettings.builder()
                        .cacheDir(FixtureVulnerabilityDb.cacheDir().toString())
                        .skipDbUpdate(true)
                        .skipJavaDbUpdate(true)
                        .offlineScan(true)
                        .build();

        SyncResult first =
                api().sync(
                                new SyncSpec(file.toString(), null, null, 2, null, trivy),
                                ProgressListener.NONE);
        assertThat(first.entries())
                .extracting(SyncResult.Entry::outcome)
                .as(first.toString())
                .containsExactly(Outcome.PASSED, Outcome.POLICY_FAILED);
        assertThat(new ImagePusher(registry).tagExists("base/synced-late", "1")).isFalse();
        assertThat(
                        storedDocument(priv("quarantine/base/synced-late@" + late))
                                .path("verdict")
                                .asText())
                .isEqualTo("FAIL");

        Cosign.sign(up("library/synced-late@" + late), upstreamKey, false);
        SyncResult second =
                api().sync(
                                new SyncSpec(file.toString(), null, null, 2, null, trivy),
                                ProgressListener.NONE);
        assertThat(second.entries())
                .extracting(SyncResult.Entry::outcome)
                .as(second.toString())
                .containsExactly(Outcome.PASSED, Outcome.PASSED);
        assertThat(new ImagePusher(registry).manifestDigest("base/synced-late", "1"))
                .contains(late);
        // the PASS superseded the FAIL of the same digest and policy: the image counts as vetted
        assertThat(api().verdicts(new VerdictSpec(priv("base/synced-late:1"))).outcome())
                .isEqualTo(Outcome.PASSED);
    }

    @Test
    void aRescanChecksTheUpstreamSignatureAgainAndFailsTheImageWhenItIsGone() throws IOException {
        Digest digest = pushClean("library/rescan-signed", "1", "rescan-signed");
        Cosign.sign(up("library/rescan-signed@" + digest), upstreamKey, true);
        Path file =
                Files.writeString(
                        keys.resolve("rescan-sync.yaml"),
                        """
                policy: signed.yaml
                images:
                  - source: %s/library/rescan-signed:1
                    target: %s/base/rescan-signed:1
                """
                                .formatted(upstream.hostPort(), registry.hostPort()));
        TrivySettings trivy = FixtureVulnerabilityDb.offlineTrivy();
        SyncSpec spec = new SyncSpec(file.toString(), null, null, 1, null, trivy);
        SyncResult first = api().sync(spec, ProgressListener.NONE);
        assertThat(first.outcome()).as(first.toString()).isEqualTo(Outcome.PASSED);

        // Still signed: the rescan checks the signature again and says so in its verdict.
        SyncResult signed = api().sync(spec.with(null, "0s"), ProgressListener.NONE);
        assertThat(signed.outcome()).as(signed.toString()).isEqualTo(Outcome.PASSED);
        assertThat(signed.entries().get(0).rescanned()).isTrue();
        JsonNode doc = newestDocument(priv("base/rescan-signed:1"));
        assertThat(doc.path("signatures").path("verified").asBoolean()).isTrue();
        assertThat(doc.path("signatures").path("signedBy").toString())
                .contains(fingerprint(upstreamKey.publicKey()));

        // Upstream withdraws the signature (its referrers list nothing now): the image, unchanged,
        // fails its rescan, before any scan.
        replaceReferrers("library/rescan-signed", digest, List.of());
        SyncResult unsigned = api().sync(spec.with(null, "0s"), ProgressListener.NONE);
        assertThat(unsigned.outcome()).as(unsigned.toString()).isEqualTo(Outcome.POLICY_FAILED);
        SyncResult.Entry entry = unsigned.entries().get(0);
        assertThat(entry.rescanned()).isTrue();
        assertThat(entry.newlyFailing()).isTrue();
        assertThat(entry.changed()).isFalse();
        JsonNode fail = newestDocument(priv("base/rescan-signed:1"));
        assertThat(fail.path("verdict").asText()).isEqualTo("FAIL");
        assertThat(fail.path("signatures").path("verified").asBoolean()).isFalse();
        assertThat(api().verdicts(new VerdictSpec(priv("base/rescan-signed:1"))).outcome())
                .isNotEqualTo(Outcome.PASSED);
    }

    // ------------------------------------------------------------------ scan judges by the same
    // policy

    @Test
    void scanningWithAPolicyThatRequiresSignaturesJudgesTheImageByThemFirst() {
        Digest signed = pushClean("library/scanned", "signed", "scanned-signed");
        Digest unsigned = pushClean("library/scanned", "unsigned", "scanned-unsigned");
        Cosign.sign(up("library/scanned@" + signed), upstreamKey, false);
        TrivySettings trivy =
                TrivySettings.builder()
                        .cacheDir(FixtureVulnerabilityDb.cacheDir().toString())
                        .skipDbUpdate(true)
                        .skipJavaDbUpdate(true)
                        .offlineScan(true)
                        .build();

        ScanResult passed =
                api().scan(
                                ScanSpec.of(
                                        up("library/scanned:signed"),
                                        required.toString(),
                                        null,
                                        trivy),
                                ProgressListener.NONE);
        assertThat(passed.outcome()).as(passed.toString()).isEqualTo(Outcome.PASSED);
        assertThat(passed.scanner()).startsWith("trivy");

        ScanResult refused =
                api().scan(
                                ScanSpec.of(
                                        up("library/scanned:unsigned"),
                                        required.toString(),
                                        null,
                                        trivy),
                                ProgressListener.NONE);
        assertThat(refused.outcome()).as(refused.toString()).isEqualTo(Outcome.POLICY_FAILED);
        assertThat(refused.digest()).isEqualTo(unsigned.toString());
        assertThat(refused.scanner()).startsWith("none");
        assertThat(refused.verdicts())
                .singleElement()
                .satisfies(
                        v -> {
                            assertThat(v.verdict()).isEqualTo("FAIL");
                            assertThat(v.reasons())
                                    .singleElement()
                                    .asString()
                                    .contains("no cosign signature of " + unsigned);
                            assertThat(v.findings()).isEmpty();
                        });
    }

    // ------------------------------------------------------------------ not required: checked and
    // recorded

    @Test
    void withSignaturesNotRequiredAnUnsignedImageIsVettedAndTheVerdictSaysItIsUnsigned()
            throws IOException {
        Path lenient =
                Files.writeString(
                        keys.resolve("lenient.yaml"),
                        "signatures:\n  required: false\n  keys: [upstream.pub]\n");
        pushClean("library/lenient", "1", "lenient");

        VetResult result = vet(up("library/lenient:1"), priv("base/lenient:1"), lenient);

        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.PASSED);
        JsonNode signatures = storedDocument(priv("base/lenient:1")).path("signatures");
        assertThat(signatures.path("required").asBoolean()).isFalse();
        assertThat(signatures.path("verified").asBoolean()).isFalse();
        assertThat(signatures.path("reason").asText()).contains("no cosign signature");
    }

    // ------------------------------------------------------------------ keyless: a Sigstore of the
    // test's own

    static final String WORKFLOW =
            "https://github.com/acme/base/.github/workflows/release.yml@refs/heads/main";
    static final String ACTIONS = "https://token.actions.githubusercontent.com";

    /**
     * A Sigstore instance of the test's own, its trusted root beside a keyless policy naming {@link
     * #WORKFLOW}.
     */
    static SigstoreTestStack sigstore;

    static Path keylessPolicy;
    static Path trustedRoot;

    @BeforeAll
    static void keylessStack() throws IOException {
        sigstore = new SigstoreTestStack();
        trustedRoot = sigstore.writeTrustedRoot(keys.resolve("trusted_root.json"));
        keylessPolicy =
                Files.writeString(
                        keys.resolve("keyless.yaml"),
                        """
                failOn: HIGH
                signatures:
                  keyless:
                    trustedRoot: trusted_root.json
                    identities:
                      - subject: %s
                        issuer: %s
                """
                                .formatted(WORKFLOW, ACTIONS));
    }

    /**
     * Signs {@code digest} keylessly as {@code subject} with the test's Sigstore, as cosign v3
     * does: a bundle referrer.
     */
    private static void signKeyless(String repository, Digest digest, String subject)
            throws IOException {
        SigstoreTestStack.Leaf leaf = sigstore.issue(sigstore.leaf(subject, ACTIONS));
        byte[] bundle =
                sigstore.bundle(
                        SigstoreTestStack.signStatement(up(repository), digest.toString()),
                        leaf,
                        e -> e);
        TestImages.Blob layer = new TestImages.Blob(BUNDLE_TYPE, bundle, null);
        new ImagePusher(upstream).pushBlob(repository, layer);
        ObjectNode manifest = bundleReferrerSkeleton(repository, digest);
        ((ArrayNode) manifest.path("layers"))
                .addObject()
                .put("mediaType", BUNDLE_TYPE)
                .put("digest", layer.digest().toString())
                .put("size", layer.size());
        manifest.putObject("annotations")
                .put("dev.sigstore.bundle.content", "dsse-envelope")
                .put("dev.sigstore.bundle.predicateType", UpstreamSignatures.SIGN_PREDICATE_TYPE);
        replaceReferrers(repository, digest, List.of(manifest));
    }

    /**
     * Signs {@code digest} keylessly in cosign's legacy format: a simple-signing layer under the
     * {@code .sig} tag with the certificate and the Rekor entry (signed entry timestamp) as
     * annotations.
     */
    private static void signKeylessLegacy(String repository, Digest digest, String subject)
            throws IOException {
        SigstoreTestStack.Leaf leaf = sigstore.issue(sigstore.leaf(subject, ACTIONS));
        byte[] payload =
                ("{\"critical\":{\"identity\":{\"docker-reference\":\""
                                + up(repository)
                                + "\"},\"image\":{"
                                + "\"docker-manifest-digest\":\""
                                + digest
                                + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] signature = SigstoreTestStack.sign(leaf.keys().getPrivate(), payload);
        SigstoreTestStack.LogEntry entry =
                sigstore.log(
                        "hashedrekord",
                        SigstoreTestStack.hashedRekordBody(payload, signature, leaf.certificate()),
                        leaf.certificate().getNotBefore().toInstant().plusSeconds(30),
                        sigstore.rekorKey);
        ObjectNode rekorBundle =
                JSON.createObjectNode()
                        .put("SignedEntryTimestamp", SigstoreTestStack.b64(entry.promise()));
        rekorBundle
                .putObject("Payload")
                .put("body", SigstoreTestStack.b64(entry.body()))
                .put("integratedTime", entry.integratedTime())
                .put("logIndex", entry.logIndex())
                .put("logID", java.util.HexFormat.of().formatHex(entry.logId()));
        ImagePusher pusher = new ImagePusher(upstream);
        TestImages.Blob layer = new TestImages.Blob(SimpleSigning.LAYER_MEDIA_TYPE, payload, null);
        TestImages.Blob config =
                new TestImages.Blob(
                        "application/vnd.oci.image.config.v1+json",
                        "{\"architecture\":\"\",\"os\":\"\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                                .getBytes(StandardCharsets.UTF_8),
                        null);
        pusher.pushBlob(repository, layer);
        pusher.pushBlob(repository, config);
        ObjectNode manifest =
                JSON.createObjectNode()
                        .put("schemaVersion", 2)
                        .put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.putObject("config")
                .put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", config.digest().toString())
                .put("size", config.size());
        manifest.putArray("layers")
                .addObject()
                .put("mediaType", SimpleSigning.LAYER_MEDIA_TYPE)
                .put("digest", layer.digest().toString())
                .put("size", layer.size())
                .putObject("annotations")
                .put(SimpleSigning.SIGNATURE_ANNOTATION, SigstoreTestStack.b64(signature))
                .put(
                        SimpleSigning.CERTIFICATE_ANNOTATION,
                        io.imagegate.testing.TestCertificates.pem(leaf.certificate()))
                .put(SimpleSigning.BUNDLE_ANNOTATION, JSON.writeValueAsString(rekorBundle));
        pusher.putManifest(
                repository,
                SimpleSigning.tagOf(digest),
                MediaTypes.OCI_MANIFEST,
                JSON.writeValueAsBytes(manifest));
    }

    /**
     * {@code cosign verify} of a keyless signature against the test's trusted root; its output, or
     * the test fails.
     */
    private static ToolProcess.Run cosignVerifyKeyless(String image, String subject) {
        return Cosign.attempt(
                null,
                Map.of(),
                "verify",
                "--trusted-root",
                trustedRoot.toString(),
                "--certificate-identity",
                subject,
                "--certificate-oidc-issuer",
                ACTIONS,
                "--allow-http-registry",
                image);
    }

    @Test
    void anImageSignedKeylesslyByAListedIdentityIsVettedAndCosignAgrees() throws IOException {
        for (boolean legacy : List.of(false, true)) {
            String repository = "library/keyless-" + (legacy ? "legacy" : "bundle");
            Digest digest = pushClean(repository, "1", repository);
            if (legacy) {
                signKeylessLegacy(repository, digest, WORKFLOW);
            } else {
                signKeyless(repository, digest, WORKFLOW);
            }
            ToolProcess.Run cosign = cosignVerifyKeyless(up(repository + "@" + digest), WORKFLOW);
            assertThat(cosign.exitCode()).as("cosign verify: " + cosign.output()).isZero();

            VetResult result =
                    vet(
                            up(repository + ":1"),
                            priv("base/keyless-" + (legacy ? "legacy" : "bundle") + ":1"),
                            keylessPolicy);

            assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.PASSED);
            JsonNode signatures =
                    storedDocument(priv("base/keyless-" + (legacy ? "legacy" : "bundle") + ":1"))
                            .path("signatures");
            assertThat(signatures.path("verified").asBoolean()).isTrue();
            assertThat(signatures.path("identities").get(0).asText())
                    .isEqualTo("subject " + WORKFLOW + " from " + ACTIONS);
            assertThat(signatures.path("signedBy"))
                    .singleElement()
                    .satisfies(
                            s -> {
                                assertThat(s.path("format").asText())
                                        .isEqualTo(legacy ? "simple-signing" : "sigstore-bundle");
                                assertThat(s.path("subject").asText()).isEqualTo(WORKFLOW);
                                assertThat(s.path("issuer").asText()).isEqualTo(ACTIONS);
                                assertThat(s.has("signedAt")).isTrue();
                                assertThat(s.has("key")).isFalse();
                            });
        }
    }

    @Test
    void aKeylessSignatureByAnotherIdentityIsRefusedAsCosignRefusesIt() throws IOException {
        String other =
                "https://github.com/mallory/base/.github/workflows/release.yml@refs/heads/main";
        Digest digest = pushClean("library/keyless-other", "1", "keyless-other");
        signKeyless("library/keyless-other", digest, other);
        assertThat(cosignVerifyKeyless(up("library/keyless-other@" + digest), WORKFLOW).exitCode())
                .isNotZero();

        String reason =
                assertRefusedUnsigned(
                        "library/keyless-other", digest, "base/keyless-other", keylessPolicy);

        assertThat(reason)
                .contains("signed by " + other)
                .contains("which no listed identity matches");
    }

    @Test
    void aKeylessSignatureIsRefusedWhenThePolicyListsOnlyKeysAndAKeyedOneWhenItListsOnlyIdentities()
            throws IOException {
        Digest keyless = pushClean("library/keyless-unlisted", "1", "keyless-unlisted");
        signKeyless("library/keyless-unlisted", keyless, WORKFLOW);
        assertThat(
                        assertRefusedUnsigned(
                                "library/keyless-unlisted",
                                keyless,
                                "base/keyless-unlisted",
                                required))
                .contains("no keyless identities are listed");

        Digest keyed = pushClean("library/keyed-unlisted", "1", "keyed-unlisted");
        Cosign.sign(up("library/keyed-unlisted@" + keyed), upstreamKey, true);
        assertThat(
                        assertRefusedUnsigned(
                                "library/keyed-unlisted",
                                keyed,
                                "base/keyed-unlisted",
                                keylessPolicy))
                .contains("no keys are listed");
    }

    // ------------------------------------------------------------------ helpers: what a forger
    // does to a registry

    /**
     * The manifest of the bundle referrer cosign attached to {@code digest}, from the referrers
     * tag's index.
     */
    private static byte[] bundleReferrer(String repository, Digest digest) throws IOException {
        ImagePusher pusher = new ImagePusher(upstream);
        JsonNode index = JSON.readTree(pusher.getManifest(repository, "sha256-" + digest.hex()));
        for (JsonNode entry : index.path("manifests")) {
            if (BUNDLE_TYPE.equals(entry.path("artifactType").asText())) {
                return pusher.getManifest(repository, entry.path("digest").asText());
            }
        }
        throw new IllegalStateException("cosign attached no bundle to " + digest);
    }

    private static ObjectNode descriptor(String repository, Digest digest) {
        byte[] manifest = new ImagePusher(upstream).getManifest(repository, digest.toString());
        return JSON.createObjectNode()
                .put("mediaType", MediaTypes.OCI_MANIFEST)
                .put("size", manifest.length)
                .put("digest", digest.toString());
    }

    /**
     * A bundle referrer's manifest of {@code subject} without layers or annotations: the empty
     * config (pushed) and the subject, as cosign writes them.
     */
    private static ObjectNode bundleReferrerSkeleton(String repository, Digest subject) {
        TestImages.Blob empty =
                new TestImages.Blob(
                        MediaTypes.OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8), null);
        new ImagePusher(upstream).pushBlob(repository, empty);
        ObjectNode manifest =
                JSON.createObjectNode()
                        .put("schemaVersion", 2)
                        .put("mediaType", MediaTypes.OCI_MANIFEST)
                        .put("artifactType", BUNDLE_TYPE);
        manifest.putObject("config")
                .put("mediaType", MediaTypes.OCI_EMPTY)
                .put("digest", empty.digest().toString())
                .put("size", 2);
        manifest.putArray("layers");
        manifest.set("subject", descriptor(repository, subject));
        return manifest;
    }

    /**
     * Pushes {@code referrers} and makes them the only ones the referrers tag of {@code subject}
     * lists.
     */
    private static void replaceReferrers(
            String repository, Digest subject, List<ObjectNode> referrers) throws IOException {
        ImagePusher pusher = new ImagePusher(upstream);
        ObjectNode index =
                JSON.createObjectNode()
                        .put("schemaVersion", 2)
                        .put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (ObjectNode referrer : referrers) {
            byte[] bytes = JSON.writeValueAsBytes(referrer);
            Digest digest = Digest.sha256(bytes);
            pusher.putManifest(repository, digest.toString(), MediaTypes.OCI_MANIFEST, bytes);
            manifests
                    .addObject()
                    .put("mediaType", MediaTypes.OCI_MANIFEST)
                    .put("digest", digest.toString())
                    .put("size", bytes.length)
                    .put("artifactType", referrer.path("artifactType").asText());
        }
        pusher.putManifest(
                repository,
                "sha256-" + subject.hex(),
                MediaTypes.OCI_INDEX,
                JSON.writeValueAsBytes(index));
    }

    /** The base64 text with one bit of its {@code at}-th decoded byte flipped. */
    private static String flipOneByte(String base64, int at) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        bytes[at] ^= 1;
        return Base64.getEncoder().encodeToString(bytes);
    }
}
