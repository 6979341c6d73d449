package io.imagegate.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.imagegate.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DSSE's pre-authentication encoding, statements and bundles, and what verification says about each
 * forgery.
 */
class DsseTest {
    @Test
    void paeIsTheSpecsEncoding() {
        // The DSSE v1 specification's example.
        assertThat(
                        new String(
                                Dsse.pae(
                                        "http://example.com/HelloWorld",
                                        "hello world".getBytes(StandardCharsets.UTF_8)),
                                StandardCharsets.UTF_8))
                .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    private static SigningKey key() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        String pem =
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getEncoder()
                                .encodeToString(ec.generateKeyPair().getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n";
        return SigningKey.parse(pem, java.util.Optional.empty(), "test", "test");
    }

    @Test
    void aBundleVerifiesWithItsKeyAndSaysWhyOtherwise() throws Exception {
        SigningKey signer = key();
        SigningKey other = key();
        Digest subject = Digest.sha256("image");
        var predicate = JsonNodeFactory.instance.objectNode().put("verdict", "PASS");
        SigstoreBundle bundle =
                SigstoreBundle.parse(
                                VerdictAttestation.sign(signer, "r/x", subject, predicate).bytes())
                        .orElseThrow();

        VerdictAttestation.Check ok =
                VerdictAttestation.verify(bundle, List.of(other.publicKey(), signer.publicKey()));
        assertThat(ok.verified()).isTrue();
        assertThat(ok.key()).contains(signer.publicKey());
        assertThat(ok.statement().orElseThrow().names(subject)).isTrue();
        assertThat(ok.statement().orElseThrow().predicate()).isEqualTo(predicate);
        assertThat(VerdictAttestation.claimedFingerprint(bundle))
                .contains(signer.publicKey().fingerprint());

        assertThat(VerdictAttestation.verify(bundle, List.of(other.publicKey())).problem())
                .contains(VerdictAttestation.Problem.UNLISTED_KEY);
        byte[] payload = bundle.envelope().payload();
        payload[payload.length / 2] ^= 1;
        SigstoreBundle tampered =
                new SigstoreBundle(
                        bundle.mediaType(),
                        bundle.keyHint(),
                        new Dsse.Envelope(Dsse.IN_TOTO, payload, bundle.envelope().signatures()));
        assertThat(VerdictAttestation.verify(tampered, List.of(signer.publicKey())).problem())
                .contains(VerdictAttestation.Problem.BAD_SIGNATURE);
        byte[] sig = bundle.envelope().signatures().get(0).signature();
        sig[sig.length - 1] ^= 1;
        SigstoreBundle badSig =
                new SigstoreBundle(
                        bundle.mediaType(),
                        bundle.keyHint(),
                        new Dsse.Envelope(
                                Dsse.IN_TOTO,
                                bundle.envelope().payload(),
                                List.of(new Dsse.Sig("", sig))));
        assertThat(VerdictAttestation.verify(badSig, List.of(signer.publicKey())).problem())
                .contains(VerdictAttestation.Problem.BAD_SIGNATURE);
        // The payload type is signed too: the same signature under another type does not verify.
        SigstoreBundle otherType =
                new SigstoreBundle(
                        bundle.mediaType(),
                        bundle.keyHint(),
                        new Dsse.Envelope(
                                "text/plain",
                                bundle.envelope().payload(),
                                bundle.envelope().signatures()));
        assertThat(VerdictAttestation.verify(otherType, List.of(signer.publicKey())).verified())
                .isFalse();
    }

    @Test
    void hostileBundlesAreNotBundles() {
        assertThat(SigstoreBundle.parse("{".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(SigstoreBundle.parse("[]".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(
                        SigstoreBundle.parse(
                                ("{\"mediaType\":\""
                                                + SigstoreBundle.MEDIA_TYPE
                                                + "\",\"dsseEnvelope\":{\"payload\":\"%%\","
                                                + "\"payloadType\":\"x\",\"signatures\":[]}}")
                                        .getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(InTotoStatement.parse("{\"_type\":\"other\"}".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
    }
}
