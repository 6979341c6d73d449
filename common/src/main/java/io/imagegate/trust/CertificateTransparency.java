package io.imagegate.trust;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The signed certificate timestamps (RFC 6962) a Fulcio certificate embeds: each a CT log's promise
 * to publish the certificate, signed over the precertificate (the certificate's TBS without the SCT
 * list). A certificate counts only with one SCT that verifies with a CT log of the trusted root, as
 * sigstore-go's default threshold of one; that is what makes a certificate the CA issued in secret
 * detectable.
 */
final class CertificateTransparency {
    /** {@code id-ce-embeddedSCT} (RFC 6962 3.3). */
    static final String SCT_LIST_OID = "1.3.6.1.4.1.11129.2.4.2";

    private static final int MAX_SCTS = 32;
    private static final int HASH_SHA256 = 4;
    private static final int SIGNATURE_ECDSA = 3;

    /** One SCT: the log that signed it, when, its extensions and its signature. */
    record Sct(byte[] logId, long timestamp, byte[] extensions, byte[] signature) {
        Instant time() {
            return Instant.ofEpochMilli(timestamp);
        }
    }

    private CertificateTransparency() {}

    /**
     * Verifies that {@code leaf}, issued by {@code issuer}, carries an SCT by a CT log of {@code
     * root} valid at the SCT's time; refused with the reason otherwise.
     */
    static void verify(X509Certificate leaf, X509Certificate issuer, TrustedRoot root)
            throws InvalidSignatureException {
        if (root.ctLogs().isEmpty()) {
            throw new InvalidSignatureException(
                    "the trusted root lists no CT log (ctlogs), so no certificate's SCT can be verified");
        }
        byte[] value = leaf.getExtensionValue(SCT_LIST_OID);
        if (value == null) {
            throw new InvalidSignatureException(
                    "its certificate carries no signed certificate timestamp (SCT)");
        }
        List<Sct> scts;
        byte[] precertificate;
        try {
            scts = parseList(Der.extensionContent(value));
            precertificate = Der.withoutExtension(leaf.getTBSCertificate(), SCT_LIST_OID);
        } catch (Der.MalformedException | CertificateEncodingException e) {
            throw new InvalidSignatureException(
                    "its certificate's SCT list is malformed (" + e.getMessage() + ")");
        }
        byte[] issuerKeyHash = sha256(issuer.getPublicKey().getEncoded());
        for (Sct sct : scts) {
            var log = root.ctLog(sct.logId());
            if (log.isEmpty() || !log.get().validFor().covers(sct.time())) {
                continue;
            }
            if (PublicKeys.verifies(
                    log.get().key(),
                    signedData(sct, issuerKeyHash, precertificate),
                    sct.signature())) {
                return;
            }
        }
        throw new InvalidSignatureException(
                "none of its certificate's "
                        + scts.size()
                        + " SCT"
                        + (scts.size() == 1 ? "" : "s")
                        + " verifies with a CT log of the trusted root");
    }

    /**
     * The SCT list: the extension's OCTET STRING holding the TLS-encoded {@code
     * SignedCertificateTimestampList}.
     */
    static List<Sct> parseList(byte[] extensionContent) throws Der.MalformedException {
        Der.Element inner = Der.parse(extensionContent);
        if (inner.tag() != Der.OCTET_STRING) {
            throw new Der.MalformedException("the SCT list is not an OCTET STRING");
        }
        ByteBuffer in = ByteBuffer.wrap(inner.content());
        int total = u16(in);
        if (total != in.remaining()) {
            throw new Der.MalformedException("the SCT list's length does not match");
        }
        List<Sct> scts = new ArrayList<>();
        while (in.hasRemaining()) {
            if (scts.size() == MAX_SCTS) {
                throw new Der.MalformedException("more than " + MAX_SCTS + " SCTs");
            }
            ByteBuffer one = slice(in, u16(in));
            if (take(one, 1)[0] != 0) {
                continue; // not a v1 SCT: no log of today signs another version
            }
            byte[] logId = take(one, 32);
            long timestamp = ByteBuffer.wrap(take(one, 8)).getLong();
            byte[] extensions = take(one, u16(one));
            byte[] algorithms = take(one, 2);
            int hash = algorithms[0] & 0xff;
            int algorithm = algorithms[1] & 0xff;
            byte[] signature = take(one, u16(one));
            if (one.hasRemaining()) {
                throw new Der.MalformedException("trailing bytes in an SCT");
            }
            if (hash == HASH_SHA256 && algorithm == SIGNATURE_ECDSA) {
                scts.add(new Sct(logId, timestamp, extensions, signature));
            }
        }
        return scts;
    }

    /** RFC 6962 3.2's {@code digitally-signed} struct of a precertificate entry. */
    static byte[] signedData(Sct sct, byte[] issuerKeyHash, byte[] precertificateTbs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(precertificateTbs.length + 64);
        out.write(0); // sct_version v1
        out.write(0); // signature_type certificate_timestamp
        out.writeBytes(ByteBuffer.allocate(8).putLong(sct.timestamp()).array());
        out.write(0); // entry_type precert_entry (1), as a uint16
        out.write(1);
        out.writeBytes(issuerKeyHash);
        int n = precertificateTbs.length;
        out.write(n >> 16);
        out.write(n >> 8);
        out.write(n);
        out.writeBytes(precertificateTbs);
        out.write(sct.extensions().length >> 8);
        out.write(sct.extensions().length);
        out.writeBytes(sct.extensions());
        return out.toByteArray();
    }

    private static int u16(ByteBuffer in) throws Der.MalformedException {
        if (in.remaining() < 2) {
            throw new Der.MalformedException("an SCT is cut short");
        }
        return in.getShort() & 0xffff;
    }

    private static ByteBuffer slice(ByteBuffer in, int length) throws Der.MalformedException {
        return ByteBuffer.wrap(take(in, length));
    }

    private static byte[] take(ByteBuffer in, int length) throws Der.MalformedException {
        if (in.remaining() < length) {
            throw new Der.MalformedException("an SCT is cut short");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
