package io.imagegate.trust;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl's {@code secretbox} (XSalsa20 and Poly1305), as Go's {@code
 * golang.org/x/crypto/nacl/secretbox} seals: a box is the 16-byte tag followed by the ciphertext;
 * the first 32 bytes of the key stream are the Poly1305 key.
 */
final class SecretBox {
    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 24;
    static final int TAG_BYTES = 16;

    private SecretBox() {}

    /**
     * The plaintext of {@code box}, or empty when it was not sealed with this key and nonce (or was
     * altered).
     */
    static Optional<byte[]> open(byte[] box, byte[] nonce, byte[] key) {
        if (box.length < TAG_BYTES || nonce.length != NONCE_BYTES || key.length != KEY_BYTES) {
            return Optional.empty();
        }
        XSalsa20Engine stream = new XSalsa20Engine();
        stream.init(false, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] macKey = new byte[KEY_BYTES];
        stream.processBytes(new byte[KEY_BYTES], 0, KEY_BYTES, macKey, 0);
        byte[] expected = tag(macKey, box, TAG_BYTES, box.length - TAG_BYTES);
        Arrays.fill(macKey, (byte) 0);
        if (!MessageDigest.isEqual(expected, Arrays.copyOf(box, TAG_BYTES))) {
            return Optional.empty();
        }
        byte[] plain = new byte[box.length - TAG_BYTES];
        stream.processBytes(box, TAG_BYTES, plain.length, plain, 0);
        return Optional.of(plain);
    }

    /** Seals {@code plain}: the inverse of {@link #open}. */
    static byte[] seal(byte[] plain, byte[] nonce, byte[] key) {
        XSalsa20Engine stream = new XSalsa20Engine();
        stream.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] macKey = new byte[KEY_BYTES];
        stream.processBytes(new byte[KEY_BYTES], 0, KEY_BYTES, macKey, 0);
        byte[] box = new byte[TAG_BYTES + plain.length];
        stream.processBytes(plain, 0, plain.length, box, TAG_BYTES);
        System.arraycopy(tag(macKey, box, TAG_BYTES, plain.length), 0, box, 0, TAG_BYTES);
        Arrays.fill(macKey, (byte) 0);
        return box;
    }

    private static byte[] tag(byte[] macKey, byte[] data, int offset, int length) {
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(macKey));
        mac.update(data, offset, length);
        byte[] out = new byte[TAG_BYTES];
        mac.doFinal(out, 0);
        return out;
    }
}
