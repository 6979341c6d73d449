package io.imagegate.trust;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * The encryption of the private keys {@code cosign generate-key-pair} writes (go-securesystemslib's
 * {@code encrypted} package, which sigstore's {@code cryptoutils} uses): JSON naming an scrypt KDF
 * with its parameters and salt and a NaCl secretbox with its nonce, and the sealed PKCS#8 DER. Only
 * the three scrypt parameter sets that package writes are accepted, as it does: anything else could
 * make the KDF take any amount of memory and time.
 */
final class EncryptedKeyFormat {
    /** N, r, p of the "legacy", "standard" and "OWASP" strengths. */
    private static final List<int[]> KNOWN_PARAMETERS =
            List.of(new int[] {32768, 8, 1}, new int[] {65536, 8, 1}, new int[] {131072, 8, 1});

    /** Why a sealed key could not be opened. */
    enum Failure {
        MALFORMED,
        WRONG_PASSWORD
    }

    /** The opened DER, or the failure. */
    record Opened(Optional<byte[]> der, Optional<Failure> failure) {}

    private EncryptedKeyFormat() {}

    /** Opens {@code sealed} (the JSON inside the PEM block) with {@code password}. */
    static Opened open(byte[] sealed, char[] password) {
        byte[] salt;
        byte[] nonce;
        byte[] box;
        int n;
        int r;
        int p;
        try {
            JsonNode json = Json.MAPPER.readTree(sealed);
            JsonNode kdf = json.path("kdf");
            JsonNode cipher = json.path("cipher");
            if (!"scrypt".equals(kdf.path("name").asText())
                    || !"nacl/secretbox".equals(cipher.path("name").asText())) {
                return failed(Failure.MALFORMED);
            }
            n = kdf.path("params").path("N").asInt(-1);
            r = kdf.path("params").path("r").asInt(-1);
            p = kdf.path("params").path("p").asInt(-1);
            int[] given = {n, r, p};
            if (KNOWN_PARAMETERS.stream().noneMatch(k -> Arrays.equals(k, given))) {
                return failed(Failure.MALFORMED);
            }
            salt = Base64.getDecoder().decode(kdf.path("salt").asText());
            nonce = Base64.getDecoder().decode(cipher.path("nonce").asText());
            box = Base64.getDecoder().decode(json.path("ciphertext").asText());
        } catch (IOException | IllegalArgumentException e) {
            return failed(Failure.MALFORMED);
        }
        if (nonce.length != SecretBox.NONCE_BYTES || salt.length == 0) {
            return failed(Failure.MALFORMED);
        }
        byte[] secret = utf8(password);
        byte[] key = SCrypt.generate(secret, salt, n, r, p, SecretBox.KEY_BYTES);
        Arrays.fill(secret, (byte) 0);
        Optional<byte[]> der = SecretBox.open(box, nonce, key);
        Arrays.fill(key, (byte) 0);
        return der.isPresent() ? new Opened(der, Optional.empty()) : failed(Failure.WRONG_PASSWORD);
    }

    private static Opened failed(Failure failure) {
        return new Opened(Optional.empty(), Optional.of(failure));
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] out = Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
        Arrays.fill(buffer.array(), (byte) 0);
        return out;
    }
}
