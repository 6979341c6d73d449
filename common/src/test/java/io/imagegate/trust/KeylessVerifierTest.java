package io.imagegate.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.testing.SigstoreTestStack;
import io.imagegate.testing.SigstoreTestStack.Leaf;
import io.imagegate.testing.SigstoreTestStack.LogEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyless verification against a Sigstore instance the test makes (CA, CT log and transparency log
 * of its own): what a real keyless signature passes, and each forgery that must not. The same
 * stack's signatures are checked with cosign in {@code KeylessSignaturesTest}, so these bundles are
 * what Sigstore makes, not what this verifier expects.
 */
class KeylessVerifierTest {
    static final String WORKFLOW =
            "https://github.com/acme/base/.github/workflows/release.yml@refs/heads/main";
    static final String ACTIONS = "https://token.actions.githubusercontent.com";
    static final String DIGEST = "sha256:" + "a".repeat(64);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    static SigstoreTestStack stack;
    static TrustedRoot root;

    @BeforeAll
    static void stack() {
        stack = new SigstoreTestStack();
        root = TrustedRoot.load(stack.writeTrustedRoot(dir.resolve("trusted_root.json")), "test");
        // Earlier entries in the log, so that inclusion proofs have audit paths to check.
        for (int i = 0; i < 5; i++) {
            stack.log("dsse", ("{\"n\":" + i + "}").getBytes(), Instant.now(), stack.rekorKey);
        }
    }

    private static KeylessVerifier.Trust trust(CertificateIdentity... identities) {
        return new KeylessVerifier.Trust(root, List.of(identities));
    }

    private static KeylessVerifier.Trust exact() {
        return trust(CertificateIdentity.of(WORKFLOW, null, ACTIONS, null));
    }

    private static byte[] bundle(Leaf leaf, UnaryOperator<LogEntry> alter) {
        return stack.bundle(
                SigstoreTestStack.signStatement("registry.test/acme/base", DIGEST), leaf, alter);
    }

    private static byte[] valid() {
        return bundle(stack.issue(stack.leaf(WORKFLOW, ACTIONS)), e -> e);
    }

    static KeylessVerifier.Signer verify(byte[] bytes, KeylessVerifier.Trust trust)
            throws InvalidSignatureException {
        BundleReader.Bundle bundle = BundleReader.read(bytes);
        BundleReader.Envelope envelope = bundle.envelope().orElseThrow();
        return KeylessVerifier.verify(
                bundle.certificate().orElseThrow(),
                TransparencyLog.read(bundle.tlogEntries()),
                new KeylessVerifier.Logged.Dsse(envelope.payload()),
                envelope.pae(),
                envelope.signatures().get(0),
                trust);
    }

    private static void refused(byte[] bytes, KeylessVerifier.Trust trust, String reason) {
        assertThatThrownBy(() -> verify(bytes, trust))
                .isInstanceOf(InvalidSignatureException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void aKeylessSignatureVerifiesAndSaysWhoSignedAndWhen() throws Exception {
        Instant before = Instant.now().minusSeconds(120);

        KeylessVerifier.Signer signer = verify(valid(), exact());

        assertThat(signer.subject()).isEqualTo(WORKFLOW);
        assertThat(signer.issuer()).isEqualTo(ACTIONS);
        assertThat(signer.signedAt()).isAfter(before).isBefore(Instant.now().plusSeconds(60));
    }

    @Test
    void identitiesMatchExactlyOrByAWholeRegularExpressionAndBothSubjectAndIssuerMustMatch()
            throws Exception {
        byte[] bundle = valid();
        assertThat(
                        verify(
                                        bundle,
                                        trust(
                                                CertificateIdentity.of(
                                                        null,
                                                        "https://github\\.com/acme/.*",
                                                        null,
                                                        "https://token\\.actions\\..*")))
                                .subject())
                .isEqualTo(WORKFLOW);
        // Of several identities, one is enough (rotation, several release workflows).
        assertThat(
                        verify(
                                        bundle,
                                        trust(
                                                CertificateIdentity.of(
                                                        "https://github.com/other/x",
                                                        null,
                                                        ACTIONS,
                                                        null),
                                                CertificateIdentity.of(
                                                        WORKFLOW, null, ACTIONS, null)))
                                .subject())
                .isEqualTo(WORKFLOW);

        refused(
                bundle,
                trust(CertificateIdentity.of(WORKFLOW + "x", null, ACTIONS, null)),
                "which no listed identity matches");
        refused(
                bundle,
                trust(CertificateIdentity.of(WORKFLOW, null, "https://accounts.google.com", null)),
                "which no listed identity matches");
        // A regular expression must match the whole value, not a part of it.
        refused(
                bundle,
                trust(CertificateIdentity.of(null, "acme", null, ACTIONS.replace(".", "\\."))),
                "which no listed identity matches");
        refused(
                bundle,
                trust(CertificateIdentity.of(WORKFLOW, null, null, "https://token")),
                "which no listed identity matches");
    }

    @Test
    void anEmailIdentityMatchesToo() throws Exception {
        Leaf leaf = stack.issue(stack.leaf("release@acme.example", "https://accounts.google.com"));
        assertThat(
                        verify(
                                        bundle(leaf, e -> e),
                                        trust(
                                                CertificateIdentity.of(
                                                        "release@acme.example",
                                                        null,
                                                        "https://accounts.google.com",
                                                        null)))
                                .subject())
                .isEqualTo("release@acme.example");
    }

    @Test
    void aCertificateFromAnAuthorityTheRootDoesNotListIsRefused() {
        KeyPair otherKey = SigstoreTestStack.ec();
        var other = SigstoreTestStack.selfSignedCa(otherKey, "another fulcio");
        Leaf leaf = stack.issue(stack.leaf(WORKFLOW, ACTIONS).issuedBy(otherKey, other));
        refused(
                bundle(leaf, e -> e),
                exact(),
                "does not chain to a certificate authority of the trusted root");
    }

    @Test
    void aCertificateWithoutAnSctOrWithAnSctByAnotherLogIsRefused() {
        refused(
                bundle(stack.issue(stack.leaf(WORKFLOW, ACTIONS).withoutScts()), e -> e),
                exact(),
                "carries no signed certificate timestamp");
        refused(
                bundle(
                        stack.issue(
                                stack.leaf(WORKFLOW, ACTIONS)
                                        .signedByCtLog(SigstoreTestStack.ec())),
                        e -> e),
                exact(),
                "none of its certificate's 1 SCT verifies");
    }

    @Test
    void aSignatureLoggedAfterItsCertificateExpiredIsRefused() {
        Leaf leaf =
                stack.issue(
                        stack.leaf(WORKFLOW, ACTIONS)
                                .notBefore(Instant.now().minus(Duration.ofHours(1))));
        // Logged (validly) 50 minutes after the ten-minute certificate was issued: the key could be
        // anyone's by then.
        byte[] late =
                bundle(
                        leaf,
                        e ->
                                stack.log(
                                        e.kind(),
                                        e.body(),
                                        leaf.certificate()
                                                .getNotBefore()
                                                .toInstant()
                                                .plus(Duration.ofMinutes(50)),
                                        stack.rekorKey));
        refused(
                late,
                exact(),
                "does not chain to a certificate authority of the trusted root valid at");
    }

    @Test
    void aSignedEntryTimestampThatDoesNotVerifyIsRefused() {
        Leaf leaf = stack.issue(stack.leaf(WORKFLOW, ACTIONS));
        // Another time than the log signed.
        refused(
                bundle(
                        leaf,
                        e ->
                                new LogEntry(
                                        e.logIndex(),
                                        e.logId(),
                                        e.kind(),
                                        e.integratedTime() - 30,
                                        e.body(),
                                        e.promise(),
                                        e.proof())),
                exact(),
                "signed entry timestamp does not verify");
        // A log the root does not list.
        refused(
                bundle(
                        leaf,
                        e ->
                                stack.log(
                                        e.kind(),
                                        e.body(),
                                        Instant.ofEpochSecond(e.integratedTime()),
                                        SigstoreTestStack.ec())),
                exact(),
                "from a log the trusted root does not list");
        // No promise: an inclusion proof alone carries no signed time.
        refused(
                bundle(
                        leaf,
                        e ->
                                new LogEntry(
                                        e.logIndex(),
                                        e.logId(),
                                        e.kind(),
                                        e.integratedTime(),
                                        e.body(),
                                        null,
                                        e.proof())),
                exact(),
                "has no signed entry timestamp");
    }

    @Test
    void anInclusionProofOrCheckpointThatDoesNotVerifyIsRefused() {
        Leaf leaf = stack.issue(stack.leaf(WORKFLOW, ACTIONS));
        refused(
                bundle(
                        leaf,
                        e ->
                                withProof(
                                        e,
                                        p -> {
                                            ArrayNode hashes = (ArrayNode) p.path("hashes");
                                            hashes.set(
                                                    0,
                                                    JSON.getNodeFactory()
                                                            .textNode(
                                                                    SigstoreTestStack.b64(
                                                                            new byte[32])));
                                        })),
                exact(),
                "inclusion proof does not lead to the tree's root hash");
        refused(
                bundle(leaf, e -> withProof(e, p -> p.put("treeSize", "99"))),
                exact(),
                "inclusion proof");
        refused(
                bundle(
                        leaf,
                        e ->
                                withProof(
                                        e,
                                        p -> {
                                            String note =
                                                    p.path("checkpoint").path("envelope").asText();
                                            ((ObjectNode) p.path("checkpoint"))
                                                    .put(
                                                            "envelope",
                                                            note.replace(
                                                                    "rekor.test.imagegate - ",
                                                                    "rekor.test.imagegatf - "));
                                        })),
                exact(),
                "checkpoint's signature does not verify");
    }

    private static LogEntry withProof(LogEntry e, java.util.function.Consumer<ObjectNode> change) {
        ObjectNode proof = e.proof().deepCopy();
        change.accept(proof);
        return new LogEntry(
                e.logIndex(),
                e.logId(),
                e.kind(),
                e.integratedTime(),
                e.body(),
                e.promise(),
                proof);
    }

    @Test
    void anEntryThatRecordsAnotherSignatureCertificateOrPayloadIsRefused() {
        Leaf leaf = stack.issue(stack.leaf(WORKFLOW, ACTIONS));
        Leaf other = stack.issue(stack.leaf(WORKFLOW, ACTIONS));
        byte[] statement = SigstoreTestStack.signStatement("registry.test/acme/base", DIGEST);
        byte[] signature =
                SigstoreTestStack.sign(
                        leaf.keys().getPrivate(),
                        SigstoreTestStack.pae("application/vnd.in-toto+json", statement));
        refused(
                bundle(
                        leaf,
                        e ->
                                stack.log(
                                        "dsse",
                                        SigstoreTestStack.dsseBody(
                                                new byte[0],
                                                "{}".getBytes(),
                                                signature,
                                                leaf.certificate()),
                                        Instant.ofEpochSecond(e.integratedTime()),
                                        stack.rekorKey)),
                exact(),
                "records another payload");
        refused(
                bundle(
                        leaf,
                        e ->
                                stack.log(
                                        "dsse",
                                        SigstoreTestStack.dsseBody(
                                                new byte[0],
                                                statement,
                                                signature,
                                                leaf.certificate()),
                                        Instant.ofEpochSecond(e.integratedTime()),
                                        stack.rekorKey)),
                exact(),
                "records another signature");
        refused(
                bundle(
                        leaf,
                        e -> {
                            byte[] body =
                                    new String(e.body())
                                            .replace(
                                                    SigstoreTestStack.b64(
                                                            io.imagegate.testing.TestCertificates
                                                                    .pem(leaf.certificate())
                                                                    .getBytes()),
                                                    SigstoreTestStack.b64(
                                                            io.imagegate.testing.TestCertificates
                                                                    .pem(other.certificate())
                                                                    .getBytes()))
                                            .getBytes();
                            return stack.log(
                                    "dsse",
                                    body,
                                    Instant.ofEpochSecond(e.integratedTime()),
                                    stack.rekorKey);
                        }),
                exact(),
                "records another certificate");
        refused(
                bundle(
                        leaf,
                        e ->
                                stack.log(
                                        "hashedrekord",
                                        SigstoreTestStack.hashedRekordBody(
                                                statement, signature, leaf.certificate()),
                                        Instant.ofEpochSecond(e.integratedTime()),
                                        stack.rekorKey)),
                exact(),
                "not the dsse 0.0.1 entry");
    }

    @Test
    void aSignatureWithOneByteChangedIsRefused() throws IOException {
        ObjectNode bundle = (ObjectNode) JSON.readTree(valid());
        ObjectNode sig = (ObjectNode) bundle.path("dsseEnvelope").path("signatures").get(0);
        byte[] bytes = java.util.Base64.getDecoder().decode(sig.path("sig").asText());
        bytes[12] ^= 1;
        sig.put("sig", SigstoreTestStack.b64(bytes));
        refused(
                JSON.writeValueAsBytes(bundle),
                exact(),
                "does not verify with its certificate's key");
    }

    @Test
    void theTrustedRootIsReadStrictly() {
        assertThatThrownBy(
                        () ->
                                TrustedRoot.parse(
                                        "{\"mediaType\":\"application/json\"}".getBytes(), "x"))
                .hasMessageContaining("is not application/vnd.dev.sigstore.trustedroot");
        assertThatThrownBy(
                        () ->
                                TrustedRoot.parse(
                                        "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\"}"
                                                .getBytes(),
                                        "x"))
                .hasMessageContaining("lists no certificate authority");
        assertThatThrownBy(() -> TrustedRoot.load(dir.resolve("missing.json"), "policy x"))
                .hasMessageContaining("does not exist");
    }
}
