package io.imagegate.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.message.ImageGateException;
import io.imagegate.testing.Cosign;
import io.imagegate.testing.NeedsComponents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private keys as cosign writes them (the real cosign generates them) and as PKCS#8; every bad key
 * is one clear error.
 */
@NeedsComponents
class SigningKeyTest {
    static final String PASSWORD = "correct horse battery staple 7";

    @TempDir static Path keys;
    static Cosign.KeyPair pair;

    @TempDir Path dir;

    @BeforeAll
    static void generate() {
        pair = Cosign.generateKeyPair(keys, PASSWORD);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN "
                + type
                + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END "
                + type
                + "-----\n";
    }

    private static void refused(Path file, Optional<char[]> password, String code) {
        assertThatThrownBy(() -> SigningKey.load(file, password, "test"))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> {
                            assertThat(e.message().code()).isEqualTo(code);
                            assertThat(e.getMessage())
                                    .doesNotContain(PASSWORD)
                                    .doesNotContain("wrong-password-1");
                        });
    }

    @Test
    void cosignsEncryptedKeyOpensWithItsPasswordAndSignsForItsPublicHalf() {
        SigningKey key =
                SigningKey.load(pair.privateKey(), Optional.of(PASSWORD.toCharArray()), "test");
        PublicKeys.Key pub = PublicKeys.load(pair.publicKey(), "test");
        assertThat(key.publicKey().fingerprint()).isEqualTo(pub.fingerprint());
        byte[] data = "statement".getBytes(StandardCharsets.UTF_8);
        assertThat(PublicKeys.verifies(pub.key(), data, key.sign(data))).isTrue();
        assertThat(key.toString()).contains(pub.fingerprint()).doesNotContain("PRIVATE");
    }

    @Test
    void aKeyGivenByItsContentLoadsAsItsFileDoesAndNamesOnlyWhereItCameFrom() throws Exception {
        String content = Files.readString(pair.privateKey());
        SigningKey key =
                SigningKey.fromContent(
                        content,
                        Optional.of(PASSWORD.toCharArray()),
                        "credential 'org-key'",
                        "test");
        assertThat(key.publicKey().fingerprint())
                .isEqualTo(PublicKeys.load(pair.publicKey(), "test").fingerprint());
        assertThat(key.toString()).contains("credential 'org-key'").doesNotContain("PRIVATE");
        assertThatThrownBy(
                        () ->
                                SigningKey.fromContent(
                                        content,
                                        Optional.of("wrong-password-1".toCharArray()),
                                        "credential 'org-key'",
                                        "test"))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> {
                            assertThat(e.message().code()).isEqualTo("signing-key.wrong-password");
                            assertThat(e.getMessage())
                                    .contains("credential 'org-key'")
                                    .doesNotContain(
                                            content.lines().skip(1).findFirst().orElseThrow());
                        });
        assertThatThrownBy(
                        () ->
                                SigningKey.fromContent(
                                        content + " ".repeat(PublicKeys.MAX_FILE_BYTES),
                                        Optional.of(PASSWORD.toCharArray()),
                                        "credential 'org-key'",
                                        "test"))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> assertThat(e.message().code()).isEqualTo("signing-key.too-large"));
        // one key, one way: a file and a content together are a usage error
        assertThatThrownBy(
                        () ->
                                io.imagegate.api.VetSpec.builder()
                                        .source("alpine")
                                        .target("r.example/a:1")
                                        .signingKey("cosign.key")
                                        .signingKey(
                                                new io.imagegate.api.KeyContent(
                                                        "credential 'org-key'",
                                                        io.imagegate.api.Secret.of(content)))
                                        .build()
                                        .validate())
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> assertThat(e.message().code()).isEqualTo("vet.signing-key-twice"));
    }

    @Test
    void aWrongOrMissingPasswordIsOneClearError() {
        refused(
                pair.privateKey(),
                Optional.of("wrong-password-1".toCharArray()),
                "signing-key.wrong-password");
        refused(pair.privateKey(), Optional.empty(), "signing-key.no-password");
    }

    @Test
    void anUnencryptedPkcs8P256KeyLoads() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        java.security.KeyPair kp = ec.generateKeyPair();
        Path file =
                Files.writeString(
                        dir.resolve("key.pem"), pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
        SigningKey key = SigningKey.load(file, Optional.empty(), "test");
        assertThat(key.publicKey().fingerprint()).isEqualTo(PublicKeys.fingerprint(kp.getPublic()));
    }

    /**
     * A PKCS#8 key carrying its public point (as Go and OpenSSL write it) is read by that point;
     * the JDK's own encoding carries none (above), and then it is computed. Either way it must be
     * the private key's: a file whose public point is another key's is refused, as it would publish
     * a fingerprint its signatures do not verify with.
     */
    @Test
    void aKeysEmbeddedPublicPointIsUsedAndMustBeItsOwn() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        java.security.KeyPair kp = ec.generateKeyPair();
        java.security.KeyPair other = ec.generateKeyPair();
        Path good =
                Files.writeString(
                        dir.resolve("with-public.pem"),
                        pem("PRIVATE KEY", withPublicPoint(kp.getPrivate(), kp.getPublic())));
        assertThat(SigningKey.load(good, Optional.empty(), "test").publicKey().fingerprint())
                .isEqualTo(PublicKeys.fingerprint(kp.getPublic()));

        Path mismatched =
                Files.writeString(
                        dir.resolve("mismatched.pem"),
                        pem("PRIVATE KEY", withPublicPoint(kp.getPrivate(), other.getPublic())));
        refused(mismatched, Optional.empty(), "signing-key.mismatch");
    }

    /**
     * PKCS#8 of {@code key} with {@code pub} as the ECPrivateKey's {@code [1] publicKey}, as Go's
     * x509 writes it.
     */
    private static byte[] withPublicPoint(java.security.PrivateKey key, java.security.PublicKey pub)
            throws Exception {
        var ecKey = (java.security.interfaces.ECPrivateKey) key;
        var point = ((java.security.interfaces.ECPublicKey) pub).getW();
        byte[] d = fixed(ecKey.getS());
        byte[] q = new byte[66];
        q[1] = 4;
        System.arraycopy(fixed(point.getAffineX()), 0, q, 2, 32);
        System.arraycopy(fixed(point.getAffineY()), 0, q, 34, 32);
        byte[] ecPrivateKey =
                Der.encode(
                        Der.SEQUENCE,
                        concat(
                                new byte[] {2, 1, 1},
                                Der.encode(Der.OCTET_STRING, d),
                                Der.encode(0xA1, Der.encode(0x03, q))));
        // version 0, AlgorithmIdentifier {id-ecPublicKey, prime256v1}, the ECPrivateKey
        byte[] algorithm =
                Der.encode(
                        Der.SEQUENCE,
                        concat(Der.oid("1.2.840.10045.2.1"), Der.oid("1.2.840.10045.3.1.7")));
        return Der.encode(
                Der.SEQUENCE,
                concat(
                        new byte[] {2, 1, 0},
                        algorithm,
                        Der.encode(Der.OCTET_STRING, ecPrivateKey)));
    }

    private static byte[] fixed(java.math.BigInteger n) {
        byte[] raw = n.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void otherKeysAndOtherFilesAreRefused() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        refused(
                Files.writeString(
                        dir.resolve("rsa.pem"),
                        pem("PRIVATE KEY", rsa.generateKeyPair().getPrivate().getEncoded())),
                Optional.empty(),
                "signing-key.type");
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        refused(
                Files.writeString(
                        dir.resolve("p384.pem"),
                        pem("PRIVATE KEY", p384.generateKeyPair().getPrivate().getEncoded())),
                Optional.empty(),
                "signing-key.type");
        refused(
                Files.writeString(
                        dir.resolve("ec.pem"), pem("EC PRIVATE KEY", new byte[] {1, 2, 3})),
                Optional.empty(),
                "signing-key.type");
        refused(pair.publicKey(), Optional.empty(), "signing-key.type");
        refused(
                Files.writeString(dir.resolve("junk"), "not a key"),
                Optional.empty(),
                "signing-key.not-pem");
        refused(dir.resolve("missing.key"), Optional.empty(), "signing-key.missing");
        refused(
                Files.write(dir.resolve("big"), new byte[PublicKeys.MAX_FILE_BYTES + 1]),
                Optional.empty(),
                "signing-key.too-large");
        // An encrypted key whose scrypt parameters are not cosign's is refused before any KDF runs.
        String json =
                "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":1073741824,\"r\":8,\"p\":1},\"salt\":\"AAAA\"},"
                        + "\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"},\"ciphertext\":\"AAAA\"}";
        refused(
                Files.writeString(
                        dir.resolve("huge-n.key"),
                        pem(
                                "ENCRYPTED SIGSTORE PRIVATE KEY",
                                json.getBytes(StandardCharsets.UTF_8))),
                Optional.of("x".toCharArray()),
                "signing-key.malformed");
    }

    @Test
    void secretBoxOpensWhatItSealsAndNothingAltered() {
        byte[] key = new byte[32];
        byte[] nonce = new byte[24];
        key[3] = 7;
        nonce[5] = 9;
        byte[] box = SecretBox.seal("secret".getBytes(StandardCharsets.UTF_8), nonce, key);
        assertThat(SecretBox.open(box, nonce, key))
                .hasValueSatisfying(
                        p -> assertThat(new String(p, StandardCharsets.UTF_8)).isEqualTo("secret"));
        box[box.length - 1] ^= 1;
        assertThat(SecretBox.open(box, nonce, key)).isEmpty();
    }
}
