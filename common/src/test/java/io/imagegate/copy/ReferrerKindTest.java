package io.imagegate.copy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.Json;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How a referrer is judged for carrying: from its own manifest and bundle content, never from what
 * a listing claims.
 */
class ReferrerKindTest {
    static final String BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json";

    private static byte[] dsse(String predicateType) {
        String statement =
                "{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\""
                        + predicateType
                        + "\",\"predicate\":{}}";
        return ("{\"dsseEnvelope\":{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\""
                        + Base64.getEncoder()
                                .encodeToString(statement.getBytes(StandardCharsets.UTF_8))
                        + "\",\"signatures\":[]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Manifest referrer(
            String artifactType,
            String layerType,
            byte[] content,
            Map<String, String> annotations) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("schemaVersion", 2)
                .put("mediaType", MediaTypes.OCI_MANIFEST)
                .put("artifactType", artifactType);
        m.putObject("config")
                .put("mediaType", MediaTypes.OCI_EMPTY)
                .put("digest", Digest.sha256("{}".getBytes()).toString())
                .put("size", 2);
        m.putArray("layers")
                .addObject()
                .put("mediaType", layerType)
                .put("digest", Digest.sha256(content).toString())
                .put("size", content.length);
        ObjectNode a = m.putObject("annotations");
        annotations.forEach(a::put);
        m.putObject("subject")
                .put("mediaType", MediaTypes.OCI_MANIFEST)
                .put("digest", Digest.sha256(new byte[0]).toString())
                .put("size", 0);
        return Manifest.create(m, "test");
    }

    private static ReferrerKind judge(Manifest m, byte[] content) {
        return ReferrerKind.of(m, layer -> content);
    }

    @Test
    void cosignsV3SignatureIsASignatureByItsStatement() {
        byte[] sign = dsse(ReferrerKind.COSIGN_SIGN_PREDICATE);
        assertThat(judge(referrer(BUNDLE, BUNDLE, sign, Map.of()), sign))
                .isEqualTo(ReferrerKind.SIGNATURE);
        // an annotation that claims otherwise changes nothing
        assertThat(
                        judge(
                                referrer(
                                        BUNDLE,
                                        BUNDLE,
                                        sign,
                                        Map.of(
                                                ReferrerKind.BUNDLE_PREDICATE_ANNOTATION,
                                                "https://slsa.dev/provenance/v1")),
                                sign))
                .isEqualTo(ReferrerKind.SIGNATURE);
    }

    @Test
    void anAttestationIsNoSignatureWhateverItClaims() {
        byte[] provenance = dsse("https://slsa.dev/provenance/v1");
        assertThat(
                        judge(
                                referrer(
                                        BUNDLE,
                                        BUNDLE,
                                        provenance,
                                        Map.of(
                                                ReferrerKind.BUNDLE_PREDICATE_ANNOTATION,
                                                ReferrerKind.COSIGN_SIGN_PREDICATE)),
                                provenance))
                .isEqualTo(ReferrerKind.OTHER);
    }

    @Test
    void aMessageSignatureBundleIsASignature() {
        byte[] message =
                "{\"messageSignature\":{\"messageDigest\":{},\"signature\":\"AA==\"}}"
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(ReferrerKind.ofBundle(message)).isEqualTo(ReferrerKind.SIGNATURE);
    }

    @Test
    void imagegateVerdictsAreRecognisedByTypeConfigOrStatement() {
        byte[] doc = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(
                        judge(
                                referrer(
                                        MediaTypes.IMAGEGATE_VERDICT,
                                        MediaTypes.IMAGEGATE_VERDICT,
                                        doc,
                                        Map.of()),
                                doc))
                .isEqualTo(ReferrerKind.VERDICT);
        // disguised under another artifact type, its layer still says what it is
        assertThat(
                        judge(
                                referrer(
                                        "application/vnd.example+json",
                                        MediaTypes.IMAGEGATE_VERDICT,
                                        doc,
                                        Map.of()),
                                doc))
                .isEqualTo(ReferrerKind.VERDICT);
        byte[] signed = dsse(MediaTypes.IMAGEGATE_VERDICT_PREDICATE);
        assertThat(judge(referrer(BUNDLE, BUNDLE, signed, Map.of()), signed))
                .isEqualTo(ReferrerKind.VERDICT);
        assertThat(
                        ReferrerKind.claimsVerdict(
                                new Descriptor(
                                        MediaTypes.OCI_MANIFEST,
                                        Digest.sha256(doc),
                                        2,
                                        Optional.empty(),
                                        Optional.of(MediaTypes.IMAGEGATE_VERDICT),
                                        Map.of())))
                .isTrue();
    }

    @Test
    void unreadableBundlesAndOtherArtifactsAreOther() {
        for (String garbage :
                new String[] {
                    "",
                    "[]",
                    "{\"dsseEnvelope\":{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"%%\"}}",
                    "{\"dsseEnvelope\":{\"payloadType\":\"text/plain\",\"payload\":\"e30=\"}}"
                }) {
            assertThat(ReferrerKind.ofBundle(garbage.getBytes(StandardCharsets.UTF_8)))
                    .as(garbage)
                    .isEqualTo(ReferrerKind.OTHER);
        }
        byte[] sbom = "{\"spdxVersion\":\"SPDX-2.3\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(
                        judge(
                                referrer(
                                        "application/spdx+json",
                                        "application/spdx+json",
                                        sbom,
                                        Map.of()),
                                sbom))
                .isEqualTo(ReferrerKind.OTHER);
        byte[] simple = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(
                        judge(
                                referrer(
                                        "application/vnd.dev.cosign.artifact.sig.v1+json",
                                        ReferrerKind.SIMPLE_SIGNING,
                                        simple,
                                        Map.of()),
                                simple))
                .isEqualTo(ReferrerKind.SIGNATURE);
    }
}
