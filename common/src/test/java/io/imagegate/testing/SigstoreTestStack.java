package io.imagegate.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A Sigstore instance of the test's own, offline: a Fulcio-like certificate authority (root and
 * intermediate), a CT log that embeds SCTs, and a Rekor-like transparency log that returns signed
 * entry timestamps, inclusion proofs and signed checkpoints, all with keys generated per run.
 * Keyless signatures made with it are real: cosign verifies them with {@code --trusted-root} the
 * {@link #writeTrustedRoot} file. Each step can be altered to make the forgeries a verifier must
 * refuse.
 */
public final class SigstoreTestStack {
    static final String SCT_OID = "1.3.6.1.4.1.11129.2.4.2";
    static final String ISSUER_V1_OID = "1.3.6.1.4.1.57264.1.1";
    static final String ISSUER_V2_OID = "1.3.6.1.4.1.57264.1.8";
    static final String LOG_ORIGIN = "rekor.test.imagegate - 1193050959916656506";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    public final KeyPair rootKey = ec();
    public final KeyPair intermediateKey = ec();
    public final X509Certificate root;
    public final X509Certificate intermediate;
    public final KeyPair ctLogKey = ec();
    public final KeyPair rekorKey = ec();

    /** When the stack's keys became valid, as the trusted root says. */
    public final Instant start = Instant.now().minus(Duration.ofDays(1));

    /** Leaf hashes of every entry this log holds, in order. */
    private final List<byte[]> leaves = new ArrayList<>();

    public SigstoreTestStack() {
        root =
                certificate(
                        new X500Name("CN=imagegate test fulcio root,O=test"),
                        rootKey,
                        new X500Name("CN=imagegate test fulcio root,O=test"),
                        rootKey.getPrivate(),
                        start,
                        start.plus(Duration.ofDays(3650)),
                        true,
                        b -> b);
        intermediate =
                certificate(
                        new X500Name("CN=imagegate test fulcio intermediate,O=test"),
                        intermediateKey,
                        new X500Name("CN=imagegate test fulcio root,O=test"),
                        rootKey.getPrivate(),
                        start,
                        start.plus(Duration.ofDays(3650)),
                        true,
                        b -> b);
    }

    /** A leaf certificate and its key, as Fulcio issues them for ten minutes. */
    public record Leaf(KeyPair keys, X509Certificate certificate) {}

    /**
     * What a leaf is issued for; {@code scts} false leaves the SCT out, {@code ctKey} signs it
     * (another log's key to forge).
     */
    public record LeafSpec(
            String subject,
            String issuer,
            Instant notBefore,
            boolean scts,
            KeyPair ctKey,
            KeyPair issuerKey,
            X509Certificate issuerCertificate) {
        public LeafSpec withSubject(String s) {
            return new LeafSpec(s, issuer, notBefore, scts, ctKey, issuerKey, issuerCertificate);
        }

        public LeafSpec withIssuer(String i) {
            return new LeafSpec(subject, i, notBefore, scts, ctKey, issuerKey, issuerCertificate);
        }

        public LeafSpec withoutScts() {
            return new LeafSpec(
                    subject, issuer, notBefore, false, ctKey, issuerKey, issuerCertificate);
        }

        public LeafSpec signedByCtLog(KeyPair key) {
            return new LeafSpec(
                    subject, issuer, notBefore, scts, key, issuerKey, issuerCertificate);
        }

        public LeafSpec issuedBy(KeyPair key, X509Certificate certificate) {
            return new LeafSpec(subject, issuer, notBefore, scts, ctKey, key, certificate);
        }

        public LeafSpec notBefore(Instant t) {
            return new LeafSpec(subject, issuer, t, scts, ctKey, issuerKey, issuerCertificate);
        }
    }

    public LeafSpec leaf(String subject, String issuer) {
        return new LeafSpec(
                subject,
                issuer,
                Instant.now().minusSeconds(60),
                true,
                ctLogKey,
                intermediateKey,
                intermediate);
    }

    /**
     * Issues a code-signing leaf certificate for {@code spec} with an embedded SCT, as Fulcio does.
     */
    public Leaf issue(LeafSpec spec) {
        KeyPair keys = ec();
        X500Name issuerName =
                X500Name.getInstance(
                        spec.issuerCertificate().getSubjectX500Principal().getEncoded());
        Instant notAfter = spec.notBefore().plus(Duration.ofMinutes(10));
        long serial = SERIAL.incrementAndGet();
        UnaryOperator<X509v3CertificateBuilder> fulcio =
                b -> {
                    try {
                        b.addExtension(
                                Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                        b.addExtension(
                                Extension.extendedKeyUsage,
                                false,
                                new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
                        GeneralName name =
                                spec.subject().contains("@") && !spec.subject().contains("://")
                                        ? new GeneralName(GeneralName.rfc822Name, spec.subject())
                                        : new GeneralName(
                                                GeneralName.uniformResourceIdentifier,
                                                spec.subject());
                        b.addExtension(
                                Extension.subjectAlternativeName, true, new GeneralNames(name));
                        // Both issuer extensions, as Fulcio writes them: the first (raw bytes) is
                        // what cosign's identity check reads.
                        b.addExtension(
                                new ASN1ObjectIdentifier(ISSUER_V1_OID),
                                false,
                                spec.issuer().getBytes(StandardCharsets.UTF_8));
                        b.addExtension(
                                new ASN1ObjectIdentifier(ISSUER_V2_OID),
                                false,
                                new DERUTF8String(spec.issuer()));
                        return b;
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                };
        X509Certificate precertificate =
                certificate(
                        serial,
                        new X500Name(new RDN[0]),
                        keys,
                        issuerName,
                        spec.issuerKey().getPrivate(),
                        spec.notBefore(),
                        notAfter,
                        false,
                        fulcio);
        if (!spec.scts()) {
            return new Leaf(keys, precertificate);
        }
        byte[] sctList =
                sctList(
                        precertificate,
                        spec.issuerCertificate(),
                        spec.ctKey(),
                        spec.notBefore().plusSeconds(1));
        X509Certificate withSct =
                certificate(
                        serial,
                        new X500Name(new RDN[0]),
                        keys,
                        issuerName,
                        spec.issuerKey().getPrivate(),
                        spec.notBefore(),
                        notAfter,
                        false,
                        b -> {
                            try {
                                fulcio.apply(b)
                                        .addExtension(
                                                new ASN1ObjectIdentifier(SCT_OID),
                                                false,
                                                new DEROctetString(sctList));
                                return b;
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                        });
        return new Leaf(keys, withSct);
    }

    /** A TLS-encoded SCT list with one SCT over {@code precertificate}'s TBS (RFC 6962 3.2). */
    private static byte[] sctList(
            X509Certificate precertificate, X509Certificate issuer, KeyPair ctKey, Instant time) {
        try {
            byte[] tbs = precertificate.getTBSCertificate();
            byte[] logId = sha256(ctKey.getPublic().getEncoded());
            long timestamp = time.toEpochMilli();
            ByteArrayOutputStream signed = new ByteArrayOutputStream();
            signed.write(0);
            signed.write(0);
            signed.writeBytes(ByteBuffer.allocate(8).putLong(timestamp).array());
            signed.write(0);
            signed.write(1);
            signed.writeBytes(sha256(issuer.getPublicKey().getEncoded()));
            signed.write(tbs.length >> 16);
            signed.write(tbs.length >> 8);
            signed.write(tbs.length);
            signed.writeBytes(tbs);
            signed.write(0);
            signed.write(0);
            byte[] signature = sign(ctKey.getPrivate(), signed.toByteArray());
            ByteArrayOutputStream sct = new ByteArrayOutputStream();
            sct.write(0);
            sct.writeBytes(logId);
            sct.writeBytes(ByteBuffer.allocate(8).putLong(timestamp).array());
            sct.write(0);
            sct.write(0);
            sct.write(4); // sha256
            sct.write(3); // ecdsa
            sct.write(signature.length >> 8);
            sct.write(signature.length);
            sct.writeBytes(signature);
            byte[] one = sct.toByteArray();
            ByteArrayOutputStream list = new ByteArrayOutputStream();
            int total = one.length + 2;
            list.write(total >> 8);
            list.write(total);
            list.write(one.length >> 8);
            list.write(one.length);
            list.writeBytes(one);
            return list.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ the transparency log

    /** A log entry as a bundle carries it; the parts are public so a test can alter one. */
    public record LogEntry(
            long logIndex,
            byte[] logId,
            String kind,
            long integratedTime,
            byte[] body,
            byte[] promise,
            ObjectNode proof) {
        public ObjectNode json() {
            ObjectNode e = JSON.createObjectNode();
            e.put("logIndex", Long.toString(logIndex));
            e.putObject("logId").put("keyId", b64(logId));
            e.putObject("kindVersion").put("kind", kind).put("version", "0.0.1");
            e.put("integratedTime", Long.toString(integratedTime));
            if (promise != null) {
                e.putObject("inclusionPromise").put("signedEntryTimestamp", b64(promise));
            }
            if (proof != null) {
                e.set("inclusionProof", proof);
            }
            e.put("canonicalizedBody", b64(body));
            return e;
        }
    }

    /**
     * Logs {@code body} (a canonicalized Rekor entry) at {@code time}, signed by {@code key} (the
     * log's, or a forger's).
     */
    public synchronized LogEntry log(String kind, byte[] body, Instant time, KeyPair key) {
        long index = leaves.size();
        leaves.add(leafHash(body));
        byte[] logId = sha256(key.getPublic().getEncoded());
        long integrated = time.getEpochSecond();
        String payload =
                "{\"body\":\""
                        + b64(body)
                        + "\",\"integratedTime\":"
                        + integrated
                        + ",\"logID\":\""
                        + HexFormat.of().formatHex(logId)
                        + "\",\"logIndex\":"
                        + index
                        + "}";
        byte[] promise = sign(key.getPrivate(), payload.getBytes(StandardCharsets.UTF_8));
        int size = leaves.size();
        byte[] rootHash = merkleRoot(leaves.subList(0, size));
        ObjectNode proof = JSON.createObjectNode();
        proof.put("logIndex", Long.toString(index))
                .put("rootHash", b64(rootHash))
                .put("treeSize", Long.toString(size));
        ArrayNode hashes = proof.putArray("hashes");
        auditPath((int) index, leaves.subList(0, size)).forEach(h -> hashes.add(b64(h)));
        String note = LOG_ORIGIN + "\n" + size + "\n" + b64(rootHash) + "\n";
        byte[] hint = java.util.Arrays.copyOf(sha256(key.getPublic().getEncoded()), 4);
        byte[] noteSignature = sign(key.getPrivate(), note.getBytes(StandardCharsets.UTF_8));
        byte[] line =
                ByteBuffer.allocate(4 + noteSignature.length).put(hint).put(noteSignature).array();
        proof.putObject("checkpoint")
                .put("envelope", note + "\n\u2014 rekor.test.imagegate " + b64(line) + "\n");
        return new LogEntry(index, logId, kind, integrated, body, promise, proof);
    }

    /**
     * A {@code dsse} v0.0.1 entry's canonicalized body for an envelope with one signature by {@code
     * certificate}.
     */
    public static byte[] dsseBody(
            byte[] envelopeJson, byte[] payload, byte[] signature, X509Certificate certificate) {
        ObjectNode body = JSON.createObjectNode().put("apiVersion", "0.0.1").put("kind", "dsse");
        ObjectNode spec = body.putObject("spec");
        spec.putObject("envelopeHash")
                .put("algorithm", "sha256")
                .put("value", HexFormat.of().formatHex(sha256(envelopeJson)));
        spec.putObject("payloadHash")
                .put("algorithm", "sha256")
                .put("value", HexFormat.of().formatHex(sha256(payload)));
        spec.putArray("signatures")
                .addObject()
                .put("signature", b64(signature))
                .put(
                        "verifier",
                        b64(TestCertificates.pem(certificate).getBytes(StandardCharsets.US_ASCII)));
        return bytes(body);
    }

    /** A {@code hashedrekord} v0.0.1 entry's canonicalized body. */
    public static byte[] hashedRekordBody(
            byte[] payload, byte[] signature, X509Certificate certificate) {
        ObjectNode body =
                JSON.createObjectNode().put("apiVersion", "0.0.1").put("kind", "hashedrekord");
        ObjectNode spec = body.putObject("spec");
        spec.putObject("data")
                .putObject("hash")
                .put("algorithm", "sha256")
                .put("value", HexFormat.of().formatHex(sha256(payload)));
        spec.putObject("signature")
                .put("content", b64(signature))
                .putObject("publicKey")
                .put(
                        "content",
                        b64(TestCertificates.pem(certificate).getBytes(StandardCharsets.US_ASCII)));
        return bytes(body);
    }

    // ------------------------------------------------------------------ keyless bundles

    /**
     * A DSSE-signed in-toto statement in a v0.3 bundle; {@code alter} may change the entry before
     * it goes in.
     */
    public byte[] bundle(byte[] statement, Leaf leaf, UnaryOperator<LogEntry> alter) {
        byte[] pae = pae("application/vnd.in-toto+json", statement);
        byte[] signature = sign(leaf.keys().getPrivate(), pae);
        ObjectNode envelope =
                JSON.createObjectNode()
                        .put("payload", b64(statement))
                        .put("payloadType", "application/vnd.in-toto+json");
        envelope.putArray("signatures").addObject().put("sig", b64(signature));
        LogEntry entry =
                alter.apply(
                        log(
                                "dsse",
                                dsseBody(bytes(envelope), statement, signature, leaf.certificate()),
                                leaf.certificate().getNotBefore().toInstant().plusSeconds(30),
                                rekorKey));
        ObjectNode bundle =
                JSON.createObjectNode()
                        .put("mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json");
        ObjectNode material = bundle.putObject("verificationMaterial");
        try {
            material.putObject("certificate").put("rawBytes", b64(leaf.certificate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        material.putArray("tlogEntries").add(entry.json());
        bundle.set("dsseEnvelope", envelope);
        return bytes(bundle);
    }

    /** cosign's image-signing statement for {@code digest} ({@code sha256:…}). */
    public static byte[] signStatement(String image, String digest) {
        ObjectNode statement =
                JSON.createObjectNode().put("_type", "https://in-toto.io/Statement/v1");
        statement
                .putArray("subject")
                .addObject()
                .put("name", image)
                .putObject("digest")
                .put("sha256", digest.substring("sha256:".length()));
        statement.put("predicateType", "https://sigstore.dev/cosign/sign/v1");
        statement.putObject("predicate");
        return bytes(statement);
    }

    /** Writes the trusted root of this stack, as {@code cosign verify --trusted-root} reads it. */
    public Path writeTrustedRoot(Path file) {
        try {
            ObjectNode trusted =
                    JSON.createObjectNode()
                            .put(
                                    "mediaType",
                                    "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
            trusted.putArray("tlogs").add(log(rekorKey, "https://rekor.test.imagegate"));
            ObjectNode ca = trusted.putArray("certificateAuthorities").addObject();
            ca.putObject("subject")
                    .put("organization", "test")
                    .put("commonName", "imagegate test fulcio");
            ca.put("uri", "https://fulcio.test.imagegate");
            ArrayNode chain = ca.putObject("certChain").putArray("certificates");
            chain.addObject().put("rawBytes", b64(intermediate.getEncoded()));
            chain.addObject().put("rawBytes", b64(root.getEncoded()));
            ca.putObject("validFor").put("start", start.toString());
            trusted.putArray("ctlogs").add(log(ctLogKey, "https://ct.test.imagegate"));
            Files.write(file, bytes(trusted));
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode log(KeyPair key, String url) {
        ObjectNode log =
                JSON.createObjectNode().put("baseUrl", url).put("hashAlgorithm", "SHA2_256");
        log.putObject("publicKey")
                .put("rawBytes", b64(key.getPublic().getEncoded()))
                .put("keyDetails", "PKIX_ECDSA_P256_SHA_256")
                .putObject("validFor")
                .put("start", start.toString());
        log.putObject("logId").put("keyId", b64(sha256(key.getPublic().getEncoded())));
        return log;
    }

    // ------------------------------------------------------------------ Merkle tree (RFC 6962 2.1)

    static byte[] leafHash(byte[] leaf) {
        return sha256(concat(new byte[] {0}, leaf));
    }

    private static byte[] node(byte[] left, byte[] right) {
        return sha256(concat(new byte[] {1}, left, right));
    }

    private static byte[] merkleRoot(List<byte[]> hashes) {
        if (hashes.size() == 1) {
            return hashes.get(0);
        }
        int k = Integer.highestOneBit(hashes.size() - 1);
        return node(merkleRoot(hashes.subList(0, k)), merkleRoot(hashes.subList(k, hashes.size())));
    }

    private static List<byte[]> auditPath(int m, List<byte[]> hashes) {
        List<byte[]> path = new ArrayList<>();
        if (hashes.size() <= 1) {
            return path;
        }
        int k = Integer.highestOneBit(hashes.size() - 1);
        if (m < k) {
            path.addAll(auditPath(m, hashes.subList(0, k)));
            path.add(merkleRoot(hashes.subList(k, hashes.size())));
        } else {
            path.addAll(auditPath(m - k, hashes.subList(k, hashes.size())));
            path.add(merkleRoot(hashes.subList(0, k)));
        }
        return path;
    }

    // ------------------------------------------------------------------ plumbing

    public static KeyPair ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certificate authority of another instance, for certificates no trusted root lists. */
    public static X509Certificate selfSignedCa(KeyPair keys, String name) {
        Instant now = Instant.now();
        return certificate(
                new X500Name("CN=" + name),
                keys,
                new X500Name("CN=" + name),
                keys.getPrivate(),
                now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(30)),
                true,
                b -> b);
    }

    private static X509Certificate certificate(
            X500Name subject,
            KeyPair keys,
            X500Name issuer,
            PrivateKey signer,
            Instant from,
            Instant to,
            boolean ca,
            UnaryOperator<X509v3CertificateBuilder> extensions) {
        return certificate(
                SERIAL.incrementAndGet(), subject, keys, issuer, signer, from, to, ca, extensions);
    }

    private static X509Certificate certificate(
            long serial,
            X500Name subject,
            KeyPair keys,
            X500Name issuer,
            PrivateKey signer,
            Instant from,
            Instant to,
            boolean ca,
            UnaryOperator<X509v3CertificateBuilder> extensions) {
        try {
            X509v3CertificateBuilder builder =
                    new JcaX509v3CertificateBuilder(
                            issuer,
                            BigInteger.valueOf(serial),
                            Date.from(from),
                            Date.from(to),
                            subject,
                            keys.getPublic());
            if (ca) {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                builder.addExtension(
                        Extension.keyUsage,
                        true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            builder = extensions.apply(builder);
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(
                                    new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    public static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] pae(String type, byte[] payload) {
        byte[] t = type.getBytes(StandardCharsets.UTF_8);
        return concat(
                ("DSSEv1 " + t.length + " " + type + " " + payload.length + " ")
                        .getBytes(StandardCharsets.UTF_8),
                payload);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    public static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
