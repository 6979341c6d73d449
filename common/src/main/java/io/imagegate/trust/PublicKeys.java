package io.imagegate.trust;

import io.imagegate.message.ImageGateException;
import io.imagegate.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Public keys as cosign writes them ({@code cosign.pub}: a PEM {@code PUBLIC KEY}, X.509
 * SubjectPublicKeyInfo), and the one signature check every verifier uses. Only ECDSA P-256 with
 * SHA-256 is accepted: the algorithm cosign's key pairs use; any other key is refused when it is
 * loaded, never half-verified.
 */
public final class PublicKeys {
    /** A key file is a few hundred bytes; anything near this is not one. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    private static final Pattern PEM =
            Pattern.compile(
                    "-----BEGIN PUBLIC KEY-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END PUBLIC KEY-----");

    /**
     * A loaded key with the file it came from and its fingerprint (SHA-256 of its DER encoding),
     * for people.
     */
    public record Key(PublicKey key, String source, String fingerprint) {
        @Override
        public String toString() {
            return source + " (" + fingerprint + ")";
        }
    }

    private PublicKeys() {}

    /**
     * Loads a PEM public key file; {@code namedBy} says where the file was named (an input, a
     * policy key) in errors.
     */
    public static Key load(Path file, Object namedBy) {
        byte[] bytes = TrustFile.read(file, MAX_FILE_BYTES, "public key", "key", namedBy, false);
        return parse(new String(bytes, StandardCharsets.US_ASCII), file.toString(), namedBy);
    }

    /** Parses PEM text holding one public key. */
    public static Key parse(String pem, String source, Object namedBy) {
        Matcher m = PEM.matcher(pem);
        if (!m.find()) {
            throw ImageGateException.configuration(
                    "key.not-pem",
                    "{0} ({1}) holds no PEM public key (-----BEGIN PUBLIC KEY-----); give the"
                            + " public half, as cosign generate-key-pair writes it to cosign.pub",
                    source,
                    namedBy);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw ImageGateException.configuration(
                    "key.not-pem",
                    "{0} ({1}): the PEM public key is not valid base64",
                    source,
                    namedBy);
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw ImageGateException.configuration(
                    "key.type",
                    "{0} ({1}) is not an ECDSA P-256 public key, the kind cosign key pairs use",
                    source,
                    namedBy);
        }
        if (!(key instanceof ECPublicKey ec)
                || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw ImageGateException.configuration(
                    "key.type",
                    "{0} ({1}) is not an ECDSA P-256 public key, the kind cosign key pairs use",
                    source,
                    namedBy);
        }
        return new Key(key, source, fingerprint(key));
    }

    /** The fingerprint of a key: the SHA-256 of its DER (SubjectPublicKeyInfo) encoding. */
    public static String fingerprint(PublicKey key) {
        return Digest.sha256(key.getEncoded()).toString();
    }

    /**
     * Whether {@code signature} (ASN.1 DER, as cosign and the DSSE envelopes it writes carry it) is
     * {@code key}'s ECDSA SHA-256 signature of {@code signed}. A malformed signature is simply not
     * a valid one.
     */
    public static boolean verifies(PublicKey key, byte[] signed, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
