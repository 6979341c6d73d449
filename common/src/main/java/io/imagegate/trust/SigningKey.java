package io.imagegate.trust;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private key that signs verdicts: ECDSA P-256, from a PEM file as {@code cosign
 * generate-key-pair} writes it ({@code ENCRYPTED SIGSTORE PRIVATE KEY}, or the older {@code
 * ENCRYPTED COSIGN PRIVATE KEY}: scrypt and secretbox over PKCS#8), or unencrypted PKCS#8 ({@code
 * PRIVATE KEY}). Everything about the key is checked when it is loaded, so a vet refuses a bad key
 * before it copies anything. No error names the password or any byte of the key; {@link #toString}
 * names only the file and the public key's fingerprint.
 */
public final class SigningKey {
    private static final Pattern PEM =
            Pattern.compile(
                    "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    /**
     * P-256 as the JDK knows it; BouncyCastle's curve table costs a third of a second to load, once
     * per process.
     */
    private static final java.security.spec.ECParameterSpec P256 = p256();

    /** Signed and verified once at load: the public half must be this private key's. */
    private static final byte[] PROBE =
            "imagegate signing key check".getBytes(StandardCharsets.US_ASCII);

    private final PrivateKey key;
    private final PublicKeys.Key publicKey;

    private SigningKey(PrivateKey key, PublicKeys.Key publicKey) {
        this.key = key;
        this.publicKey = publicKey;
    }

    /**
     * Loads a private key file.
     *
     * @param password the password of an encrypted key; empty when none is given (then only an
     *     unencrypted key loads)
     * @param namedBy where the file was named (an input), for errors
     */
    public static SigningKey load(Path file, Optional<char[]> password, Object namedBy) {
        byte[] bytes =
                TrustFile.read(
                        file,
                        PublicKeys.MAX_FILE_BYTES,
                        "signing key",
                        "signing-key",
                        namedBy,
                        true);
        try {
            return parse(
                    new String(bytes, StandardCharsets.US_ASCII),
                    password,
                    file.toString(),
                    namedBy);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Loads a private key given by its content (a Jenkins secret file), as {@link #load} loads a
     * file, within the same bound; nothing is written to disk.
     *
     * @param source names where it came from, for errors ({@code credential 'org-signing-key'});
     *     never the content
     */
    public static SigningKey fromContent(
            String pem, Optional<char[]> password, String source, Object namedBy) {
        if (pem.length() > PublicKeys.MAX_FILE_BYTES) {
            throw ImageGateException.configuration(
                    "signing-key.too-large",
                    "the signing key {0} ({1}) is larger than {2} bytes; it is" + " not a key",
                    source,
                    namedBy,
                    PublicKeys.MAX_FILE_BYTES);
        }
        return parse(pem, password, source, namedBy);
    }

    static SigningKey parse(String pem, Optional<char[]> password, String source, Object namedBy) {
        Matcher m = PEM.matcher(pem);
        if (!m.find()) {
            throw ImageGateException.configuration(
                    "signing-key.not-pem",
                    "{0} ({1}) holds no PEM private key; give the private key"
                            + " cosign generate-key-pair writes (cosign.key) or an unencrypted PKCS#8 PEM key",
                    source,
                    namedBy);
        }
        String type = m.group(1);
        byte[] block;
        try {
            block = Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw ImageGateException.configuration(
                    "signing-key.not-pem",
                    "{0} ({1}): the PEM private key is not valid base64",
                    source,
                    namedBy);
        }
        byte[] der;
        switch (type) {
            case "PRIVATE KEY" -> der = block;
            case "ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY" -> {
                if (password.isEmpty()) {
                    throw ImageGateException.configuration(
                            "signing-key.no-password",
                            "{0} ({1}) is encrypted and no password is given;"
                                    + " give it with {2}",
                            source,
                            namedBy,
                            Field.SIGNING_KEY_PASSWORD);
                }
                EncryptedKeyFormat.Opened opened = EncryptedKeyFormat.open(block, password.get());
                if (opened.failure().isPresent()) {
                    throw opened.failure().get() == EncryptedKeyFormat.Failure.WRONG_PASSWORD
                            ? ImageGateException.configuration(
                                    "signing-key.wrong-password",
                                    "the password does not open the signing key"
                                            + " {0} ({1}); check {2}",
                                    source,
                                    namedBy,
                                    Field.SIGNING_KEY_PASSWORD)
                            : ImageGateException.configuration(
                                    "signing-key.malformed",
                                    "{0} ({1}) is not an encrypted key as cosign"
                                            + " writes it (scrypt with its standard parameters, nacl/secretbox)",
                                    source,
                                    namedBy);
                }
                der = opened.der().orElseThrow();
            }
            default -> throw wrongType(source, namedBy);
        }
        try {
            return of(der, source, namedBy);
        } finally {
            Arrays.fill(der, (byte) 0);
            Arrays.fill(block, (byte) 0);
        }
    }

    private static SigningKey of(byte[] pkcs8, String source, Object namedBy) {
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw wrongType(source, namedBy);
        }
        if (!(key instanceof ECPrivateKey ec)
                || !ec.getParams().getOrder().equals(P256.getOrder())
                || !ec.getParams().getGenerator().equals(P256.getGenerator())) {
            throw wrongType(source, namedBy);
        }
        // The public half, Q = dG, for the bundle's key hint and for people (its fingerprint): as
        // the key file carries it
        // (Go's and OpenSSL's PKCS#8 do), else computed; either way checked against the private
        // key.
        ECPoint q = embeddedPublicPoint(pkcs8).orElseGet(() -> multiply(ec));
        PublicKey pub;
        try {
            pub =
                    KeyFactory.getInstance("EC")
                            .generatePublic(new ECPublicKeySpec(q, ec.getParams()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw wrongType(source, namedBy);
        }
        SigningKey loaded =
                new SigningKey(key, new PublicKeys.Key(pub, source, PublicKeys.fingerprint(pub)));
        if (!PublicKeys.verifies(pub, PROBE, loaded.sign(PROBE))) {
            throw ImageGateException.configuration(
                    "signing-key.mismatch",
                    "{0} ({1}) carries a public key that is not its private"
                            + " key''s; the file is damaged",
                    source,
                    namedBy);
        }
        return loaded;
    }

    /**
     * The public point an ECPrivateKey inside PKCS#8 carries ({@code [1] publicKey}, uncompressed),
     * when it does.
     */
    private static Optional<ECPoint> embeddedPublicPoint(byte[] pkcs8) {
        try {
            List<Der.Element> info = Der.parse(pkcs8).children();
            if (info.size() < 3 || info.get(2).tag() != Der.OCTET_STRING) {
                return Optional.empty();
            }
            for (Der.Element field : Der.parse(info.get(2).content()).children()) {
                if (field.tag() == 0xA1) {
                    Der.Element bits = Der.parse(field.content());
                    byte[] b = bits.content();
                    // a BIT STRING with no unused bits holding 0x04 ‖ X ‖ Y
                    if (bits.tag() != 0x03 || b.length != 66 || b[0] != 0 || b[1] != 4) {
                        return Optional.empty();
                    }
                    return Optional.of(
                            new ECPoint(
                                    new BigInteger(1, Arrays.copyOfRange(b, 2, 34)),
                                    new BigInteger(1, Arrays.copyOfRange(b, 34, 66))));
                }
            }
        } catch (Der.MalformedException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Q = dG with BouncyCastle (constant-time multiplication), for a key file that does not carry
     * its public point.
     */
    private static ECPoint multiply(ECPrivateKey ec) {
        org.bouncycastle.math.ec.ECPoint q =
                org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("secp256r1")
                        .getG()
                        .multiply(ec.getS())
                        .normalize();
        return new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    }

    private static java.security.spec.ECParameterSpec p256() {
        try {
            java.security.AlgorithmParameters parameters =
                    java.security.AlgorithmParameters.getInstance("EC");
            parameters.init(new java.security.spec.ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(java.security.spec.ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ImageGateException wrongType(String source, Object namedBy) {
        return ImageGateException.configuration(
                "signing-key.type",
                "{0} ({1}) is not an ECDSA P-256 private key; give the key cosign"
                        + " generate-key-pair writes (cosign.key) or an unencrypted PKCS#8 P-256 key",
                source,
                namedBy);
    }

    /** The public half, with the file it came from and its fingerprint. */
    public PublicKeys.Key publicKey() {
        return publicKey;
    }

    /**
     * The ECDSA SHA-256 signature of {@code data}, ASN.1 DER encoded (as cosign and DSSE carry it).
     */
    public byte[] sign(byte[] data) {
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw ImageGateException.internal(
                    "signing-key.sign",
                    "signing with {0} failed: {1}",
                    publicKey,
                    e.getClass().getSimpleName());
        }
    }

    /** Names the file and the fingerprint, never the key. */
    @Override
    public String toString() {
        return "signing key " + publicKey;
    }
}
