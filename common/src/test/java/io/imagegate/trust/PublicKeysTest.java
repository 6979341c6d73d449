package io.imagegate.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.message.ImageGateException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublicKeysTest {
    @TempDir Path dir;

    static String pem(byte[] der) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
    }

    @Test
    void aP256KeyVerifiesItsOwnSignaturesAndNothingElse() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        Path file =
                Files.writeString(dir.resolve("cosign.pub"), pem(pair.getPublic().getEncoded()));
        PublicKeys.Key key = PublicKeys.load(file, "test");
        assertThat(key.fingerprint()).startsWith("sha256:");

        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        byte[] message = "payload".getBytes(StandardCharsets.UTF_8);
        signer.update(message);
        byte[] signature = signer.sign();
        assertThat(PublicKeys.verifies(key.key(), message, signature)).isTrue();
        assertThat(
                        PublicKeys.verifies(
                                key.key(), "payloaD".getBytes(StandardCharsets.UTF_8), signature))
                .isFalse();
        byte[] tampered = signature.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThat(PublicKeys.verifies(key.key(), message, tampered)).isFalse();
        assertThat(PublicKeys.verifies(key.key(), message, new byte[] {1, 2, 3})).isFalse();
        KeyPair other = generator.generateKeyPair();
        assertThat(PublicKeys.verifies(other.getPublic(), message, signature)).isFalse();
    }

    @Test
    void anythingButAP256PublicKeyIsRefusedWhenLoaded() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Path rsaFile =
                Files.writeString(
                        dir.resolve("rsa.pub"),
                        pem(rsa.generateKeyPair().getPublic().getEncoded()));
        assertThatThrownBy(() -> PublicKeys.load(rsaFile, "test"))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> assertThat(e.message().code()).isEqualTo("key.type"));
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        Path p384File =
                Files.writeString(
                        dir.resolve("p384.pub"),
                        pem(p384.generateKeyPair().getPublic().getEncoded()));
        assertThatThrownBy(() -> PublicKeys.load(p384File, "test"))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> assertThat(e.message().code()).isEqualTo("key.type"));
        Path text = Files.writeString(dir.resolve("text.pub"), "not a key");
        assertThatThrownBy(() -> PublicKeys.load(text, "test"))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> assertThat(e.message().code()).isEqualTo("key.not-pem"));
        assertThatThrownBy(() -> PublicKeys.load(dir.resolve("missing.pub"), "test"))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> assertThat(e.message().code()).isEqualTo("key.missing"));
    }
}
