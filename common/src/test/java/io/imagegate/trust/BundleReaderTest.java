package io.imagegate.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reading bundles and statements: exactly the shape cosign writes, and nothing that could be read
 * two ways.
 */
class BundleReaderTest {
    static final String DIGEST =
            "sha256:07c4b8a9b8229ebf4ccd034604113a6e0d224a4c5c3f911d9d59dfd5eaadb1b5";

    /** The statement cosign v3.1.3 signs for {@code cosign sign} (captured from a real run). */
    static final String STATEMENT =
            "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\""
                    + DIGEST.substring(7)
                    + "\"},\"annotations\":{}}],\"predicateType\":\"https://sigstore.dev/cosign/sign/v1\",\"predicate\":{}}";

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A bundle as cosign writes it with a key, around {@code envelope}. */
    static String bundle(String envelope) {
        return "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{\"publicKey\":{\"hint\":"
                + "\"FoBYysjprSzss7weLiwRx/ZXrqgO+/Rw+CXADtASZ1U=\"}},\"dsseEnvelope\":"
                + envelope
                + "}";
    }

    static String envelope(String payloadType, String statement) {
        return "{\"payload\":\""
                + b64(statement)
                + "\",\"payloadType\":\""
                + payloadType
                + "\",\"signatures\":[{\"sig\":\"MEUCIQ==\"}]}";
    }

    static BundleReader.Bundle read(String json) throws InvalidSignatureException {
        return BundleReader.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void thePreAuthenticationEncodingIsDsseV1s() {
        // the example of the DSSE v1 protocol specification
        BundleReader.Envelope envelope =
                new BundleReader.Envelope(
                        "http://example.com/HelloWorld",
                        "hello world".getBytes(StandardCharsets.UTF_8),
                        List.of(new byte[1]));
        assertThat(new String(envelope.pae(), StandardCharsets.UTF_8))
                .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    @Test
    void readsWhatCosignWritesAndTheStatementItSigns() throws Exception {
        BundleReader.Bundle bundle =
                read(bundle(envelope(BundleReader.IN_TOTO_PAYLOAD_TYPE, STATEMENT)));
        assertThat(bundle.material()).isEqualTo(BundleReader.Material.PUBLIC_KEY);
        BundleReader.Envelope envelope = bundle.envelope().orElseThrow();
        assertThat(new String(envelope.payload(), StandardCharsets.UTF_8)).isEqualTo(STATEMENT);
        BundleReader.Statement statement = BundleReader.statement(envelope);
        assertThat(statement.predicateType()).isEqualTo(UpstreamSignatures.SIGN_PREDICATE_TYPE);
        assertThat(statement.subjectDigests()).containsExactly(DIGEST);
        // protobuf's JSON mapping also writes bytes URL-safe and unpadded; Go's protojson reads
        // both, and so does this
        String urlSafe =
                bundle(envelope(BundleReader.IN_TOTO_PAYLOAD_TYPE, STATEMENT))
                        .replace("\"MEUCIQ==\"", "\"MEUCIQ\"")
                        .replace(
                                b64(STATEMENT),
                                Base64.getUrlEncoder()
                                        .withoutPadding()
                                        .encodeToString(
                                                STATEMENT.getBytes(StandardCharsets.UTF_8)));
        assertThat(read(urlSafe).envelope().orElseThrow().payload())
                .isEqualTo(STATEMENT.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBundleThatCouldBeReadTwoWaysOrIsNotV03IsRefused() {
        String good = bundle(envelope(BundleReader.IN_TOTO_PAYLOAD_TYPE, STATEMENT));
        List<String[]> bad =
                List.of(
                        new String[] {
                            good.replace("{\"mediaType\"", "{\"mediaType\":\"x\",\"mediaType\""),
                            "not one JSON object"
                        },
                        new String[] {
                            good.replace("bundle.v0.3+json", "bundle.v0.2+json"),
                            "is not a Sigstore bundle v0.3"
                        },
                        new String[] {
                            good.replace("\"dsseEnvelope\"", "\"dsse_envelope\""),
                            "unknown field \"dsse_envelope\""
                        },
                        new String[] {
                            good.replace("\"publicKey\"", "\"publicKey\":{},\"certificate\""),
                            "more than one of"
                        },
                        new String[] {
                            good.replace(
                                    ",\"dsseEnvelope\":",
                                    ",\"messageSignature\":{},\"dsseEnvelope\":"),
                            "both"
                        },
                        new String[] {
                            good.replace(
                                    "[{\"sig\":\"MEUCIQ==\"}]",
                                    "[{\"sig\":\"MEUCIQ==\"},{\"sig\":\"MEUCIQ==\"}]"),
                            "exactly one signature"
                        },
                        new String[] {
                            good.replace("\"MEUCIQ==\"", "\"not base64!\""), "not base64"
                        },
                        new String[] {good + " {}", "not one JSON object"},
                        new String[] {"[" + good + "]", "not one JSON object"});
        for (String[] b : bad) {
            assertThatThrownBy(() -> read(b[0]))
                    .as(b[1])
                    .isInstanceOf(InvalidSignatureException.class)
                    .hasMessageContaining(b[1]);
        }
        byte[] huge = new byte[BundleReader.MAX_BYTES + 1];
        assertThatThrownBy(() -> BundleReader.read(huge)).hasMessageContaining("larger than");
    }

    @Test
    void aStatementThatIsNotAnInTotoV1StatementNamesNothing() throws Exception {
        List<String[]> bad =
                List.of(
                        new String[] {"application/json", STATEMENT, "not an in-toto statement"},
                        new String[] {
                            BundleReader.IN_TOTO_PAYLOAD_TYPE,
                            STATEMENT.replace("Statement/v1", "Statement/v0.1"),
                            "not an in-toto" + " statement v1"
                        },
                        new String[] {
                            BundleReader.IN_TOTO_PAYLOAD_TYPE,
                            STATEMENT.replace("{\"sha256\"", "{\"sha256\":\"00\",\"sha256\""),
                            "repeats a key"
                        },
                        new String[] {
                            BundleReader.IN_TOTO_PAYLOAD_TYPE,
                            STATEMENT.replace("\"subject\"", "\"subjects\""),
                            "unknown field"
                        },
                        new String[] {
                            BundleReader.IN_TOTO_PAYLOAD_TYPE,
                            STATEMENT.replace("{\"digest\":", "{\"name\":"),
                            "has no digest"
                        });
        for (String[] b : bad) {
            BundleReader.Envelope envelope =
                    read(bundle(envelope(b[0], b[1]))).envelope().orElseThrow();
            assertThatThrownBy(() -> BundleReader.statement(envelope))
                    .as(b[2])
                    .isInstanceOf(InvalidSignatureException.class)
                    .hasMessageContaining(b[2]);
        }
    }

    @Test
    void theLegacyPayloadNamesItsDigestOnlyWhereCosignReadsIt() throws Exception {
        String payload =
                "{\"critical\":{\"identity\":{\"docker-reference\":\"r/x\"},\"image\":{\"docker-manifest-digest\":\""
                        + DIGEST
                        + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}";
        assertThat(SimpleSigning.signedDigest(payload.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(DIGEST);
        String twice =
                payload.replace(
                        "{\"docker-manifest-digest\"",
                        "{\"docker-manifest-digest\":\"sha256:00\",\"docker-manifest-digest\"");
        assertThatThrownBy(() -> SimpleSigning.signedDigest(twice.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("repeats a key");
        String elsewhere = payload.replace("\"critical\"", "\"Critical\"");
        assertThatThrownBy(
                        () ->
                                SimpleSigning.signedDigest(
                                        elsewhere.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("names no critical.image.docker-manifest-digest");
    }
}
