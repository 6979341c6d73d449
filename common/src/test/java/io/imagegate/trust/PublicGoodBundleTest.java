package io.imagegate.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.testing.GoTool;
import io.imagegate.testing.NeedsComponents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The keyless checks against real Sigstore public-good material, not only the test's own Sigstore:
 * a bundle sigstore-go v1.2.2 (cosign v3.1.3's verifier library) publishes as test data, signed
 * with a Fulcio certificate (a GitHub login), logged in Rekor, and the public-good trusted root of
 * that time. Its real SCT (a precertificate the verifier rebuilds from the certificate), its real
 * signed entry timestamp and its real chain verify; changed, they do not. The module comes from the
 * Go module cache that scripts/setup fills when it builds cosign.
 */
@NeedsComponents
class PublicGoodBundleTest {
    static final ObjectMapper JSON = new ObjectMapper();

    private static Path sigstoreGo() {
        return GoTool.module("github.com/sigstore/sigstore-go", "v1.2.2");
    }

    private static TrustedRoot publicGood() throws Exception {
        return TrustedRoot.parse(
                Files.readAllBytes(sigstoreGo().resolve("examples/trusted-root-public-good.json")),
                "public good");
    }

    private static JsonNode bundle() throws IOException {
        return JSON.readTree(
                sigstoreGo().resolve("pkg/testing/data/bundles/dsse.sigstore.json").toFile());
    }

    private static X509Certificate certificate(JsonNode bundle, int index) throws Exception {
        return TrustedRoot.certificate(
                Base64.getDecoder()
                        .decode(
                                bundle.path("verificationMaterial")
                                        .path("x509CertificateChain")
                                        .path("certificates")
                                        .get(index)
                                        .path("rawBytes")
                                        .asText()),
                "test");
    }

    @Test
    void aRealFulcioCertificatesSctChainAndRekorTimestampVerify() throws Exception {
        TrustedRoot root = publicGood();
        JsonNode bundle = bundle();
        X509Certificate leaf = certificate(bundle, 0);
        List<TransparencyLog.Entry> entries =
                TransparencyLog.read(bundle.path("verificationMaterial").path("tlogEntries"));

        Instant signedAt = TransparencyLog.verifyPromise(entries.get(0), root);
        X509Certificate issuer = KeylessVerifier.chain(leaf, signedAt, root);
        CertificateTransparency.verify(leaf, issuer, root);

        assertThat(signedAt).isEqualTo(Instant.ofEpochSecond(1668034836));
        assertThat(CertificateIdentity.issuerOf(leaf)).contains("https://github.com/login/oauth");
        assertThat(CertificateIdentity.subjectsOf(leaf)).singleElement().asString().contains("@");
        // The envelope's signature verifies with the certificate's key over DSSE's PAE.
        JsonNode envelope = bundle.path("dsseEnvelope");
        byte[] payload = Base64.getDecoder().decode(envelope.path("payload").asText());
        byte[] signature =
                Base64.getDecoder().decode(envelope.path("signatures").get(0).path("sig").asText());
        assertThat(
                        KeylessVerifier.verifies(
                                leaf.getPublicKey(),
                                Dsse.pae(envelope.path("payloadType").asText(), payload),
                                signature))
                .isTrue();
    }

    @Test
    void theRealMaterialRefusedWhenAlteredOrAtAnotherTime() throws Exception {
        TrustedRoot root = publicGood();
        JsonNode bundle = bundle();
        X509Certificate leaf = certificate(bundle, 0);
        TransparencyLog.Entry entry =
                TransparencyLog.read(bundle.path("verificationMaterial").path("tlogEntries"))
                        .get(0);
        TransparencyLog.Entry later =
                new TransparencyLog.Entry(
                        entry.logIndex(),
                        entry.logId(),
                        entry.kind(),
                        entry.version(),
                        entry.integratedTime() + 1,
                        entry.promise(),
                        entry.body(),
                        entry.proof());

        assertThatThrownBy(() -> TransparencyLog.verifyPromise(later, root))
                .hasMessageContaining("does not verify with the log's key");
        // An hour after signing, the ten-minute certificate was no longer valid.
        assertThatThrownBy(
                        () ->
                                KeylessVerifier.chain(
                                        leaf,
                                        Instant.ofEpochSecond(entry.integratedTime() + 3600),
                                        root))
                .hasMessageContaining("does not chain");
        // The intermediate is not a leaf, and a CA certificate is no code-signing certificate.
        assertThatThrownBy(
                        () ->
                                KeylessVerifier.chain(
                                        certificate(bundle, 1),
                                        Instant.ofEpochSecond(entry.integratedTime()),
                                        root))
                .hasMessageContaining("not a code-signing leaf");
        // Against a root without CT logs, no SCT can count.
        TrustedRoot noCtLogs =
                new TrustedRoot("x", root.authorities(), root.transparencyLogs(), List.of());
        assertThatThrownBy(
                        () ->
                                CertificateTransparency.verify(
                                        leaf,
                                        KeylessVerifier.chain(leaf, entry.time(), root),
                                        noCtLogs))
                .hasMessageContaining("lists no CT log");
    }
}
