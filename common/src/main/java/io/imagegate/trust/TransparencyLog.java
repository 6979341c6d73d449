package io.imagegate.trust;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Rekor (v1) transparency-log entries as a bundle carries them: what proves <em>when</em> a keyless
 * signature was made, which is what lets a ten-minute certificate verify for years. An entry counts
 * when its signed entry timestamp (the inclusion promise) verifies with a log of the trusted root
 * valid at the entry's time, and its body is this very signature: same signature bytes, same
 * certificate, and the hash of the signed payload. An inclusion proof, when the entry has one, must
 * verify too (RFC 9162 audit path to a root hash that a checkpoint signed by the same log holds),
 * as sigstore-go requires; an entry with only a proof (Rekor v2) is refused, never taken on its
 * word.
 */
final class TransparencyLog {
    /** sigstore-go bounds entries per bundle the same way. */
    static final int MAX_ENTRIES = 32;

    /** Audit paths longer than this do not occur below 2^64 entries. */
    private static final int MAX_PATH = 64;

    /** A checkpoint is a few hundred bytes. */
    private static final int MAX_CHECKPOINT = 8 * 1024;

    /** One entry, with the canonicalized body the promise covers. */
    record Entry(
            long logIndex,
            byte[] logId,
            String kind,
            String version,
            long integratedTime,
            Optional<byte[]> promise,
            byte[] body,
            Optional<Proof> proof) {
        Instant time() {
            return Instant.ofEpochSecond(integratedTime);
        }
    }

    /**
     * An inclusion proof: the entry's index in the tree, the tree's size and root, the audit path
     * and the checkpoint.
     */
    record Proof(
            long index, long treeSize, byte[] rootHash, List<byte[]> hashes, String checkpoint) {}

    private TransparencyLog() {}

    /** Reads a bundle's {@code tlogEntries}; an entry that is malformed refuses the bundle. */
    static List<Entry> read(JsonNode entries) throws InvalidSignatureException {
        if (entries == null || !entries.isArray() || entries.isEmpty()) {
            throw new InvalidSignatureException(
                    "it has no transparency-log entry, so nothing proves when it was signed");
        }
        if (entries.size() > MAX_ENTRIES) {
            throw new InvalidSignatureException(
                    "it has more than " + MAX_ENTRIES + " transparency-log entries");
        }
        List<Entry> read = new ArrayList<>();
        for (JsonNode e : entries) {
            long index = number(e, "logIndex");
            long time = number(e, "integratedTime");
            byte[] logId =
                    StrictJsonReader.text(e.path("logId"), "keyId")
                            .flatMap(StrictJsonReader::base64)
                            .orElseThrow(
                                    () ->
                                            new InvalidSignatureException(
                                                    "a transparency-log entry has no log ID"));
            byte[] body =
                    StrictJsonReader.text(e, "canonicalizedBody")
                            .flatMap(StrictJsonReader::base64)
                            .orElseThrow(
                                    () ->
                                            new InvalidSignatureException(
                                                    "a transparency-log entry has no canonicalized body"));
            Optional<byte[]> promise =
                    StrictJsonReader.text(e.path("inclusionPromise"), "signedEntryTimestamp")
                            .flatMap(StrictJsonReader::base64);
            for (Entry other : read) {
                if (other.logIndex() == index && Arrays.equals(other.logId(), logId)) {
                    throw new InvalidSignatureException("a transparency-log entry is listed twice");
                }
            }
            read.add(
                    new Entry(
                            index,
                            logId,
                            StrictJsonReader.text(e.path("kindVersion"), "kind").orElse(""),
                            StrictJsonReader.text(e.path("kindVersion"), "version").orElse(""),
                            time,
                            promise,
                            body,
                            proof(e.get("inclusionProof"))));
        }
        return read;
    }

    private static Optional<Proof> proof(JsonNode proof) throws InvalidSignatureException {
        if (proof == null || proof.isNull()) {
            return Optional.empty();
        }
        JsonNode hashes = proof.get("hashes");
        if (hashes != null && (!hashes.isArray() || hashes.size() > MAX_PATH)) {
            throw new InvalidSignatureException(
                    "a transparency-log entry's inclusion proof has no list of at most "
                            + MAX_PATH
                            + " hashes");
        }
        List<byte[]> path = new ArrayList<>();
        for (JsonNode hash : hashes == null ? List.<JsonNode>of() : hashes) {
            path.add(hash.isTextual() ? StrictJsonReader.base64(hash.asText()).orElse(null) : null);
            if (path.get(path.size() - 1) == null) {
                throw new InvalidSignatureException(
                        "a transparency-log entry's inclusion proof has a hash that is not base64");
            }
        }
        byte[] root =
                StrictJsonReader.text(proof, "rootHash")
                        .flatMap(StrictJsonReader::base64)
                        .orElseThrow(
                                () ->
                                        new InvalidSignatureException(
                                                "a transparency-log entry's inclusion proof has no root hash"));
        String checkpoint = StrictJsonReader.text(proof.path("checkpoint"), "envelope").orElse("");
        if (checkpoint.isEmpty() || checkpoint.length() > MAX_CHECKPOINT) {
            throw new InvalidSignatureException(
                    "a transparency-log entry's inclusion proof has no checkpoint (or an oversized one)");
        }
        return Optional.of(
                new Proof(
                        number(proof, "logIndex"),
                        number(proof, "treeSize"),
                        root,
                        path,
                        checkpoint));
    }

    /**
     * An int64 as protobuf's JSON mapping writes it: a decimal string (a bare number is accepted,
     * as protojson does).
     */
    private static long number(JsonNode entry, String field) throws InvalidSignatureException {
        JsonNode value = entry.get(field);
        try {
            if (value != null && value.isTextual()) {
                return Long.parseLong(value.asText());
            }
            if (value != null && value.canConvertToLong() && value.isIntegralNumber()) {
                return value.asLong();
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidSignatureException(
                "a transparency-log entry's " + field + " is missing or not an integer");
    }

    /**
     * The time {@code entry}'s promise proves, once its signature verifies with a transparency log
     * of {@code root} that was valid then (sigstore-go's {@code VerifySET}: ECDSA over the JCS form
     * of body, time, log ID and index).
     */
    static Instant verifyPromise(Entry entry, TrustedRoot root) throws InvalidSignatureException {
        TrustedRoot.LogKey log =
                root.transparencyLog(entry.logId())
                        .orElseThrow(
                                () ->
                                        new InvalidSignatureException(
                                                "its"
                                                        + " transparency-log entry is from a log the trusted root does not list"));
        byte[] promise =
                entry.promise()
                        .orElseThrow(
                                () ->
                                        new InvalidSignatureException(
                                                "its transparency-log entry has no signed"
                                                        + " entry timestamp (inclusion promise); entries with only an inclusion proof (Rekor v2) are not verified"));
        if (!log.validFor().covers(entry.time())) {
            throw new InvalidSignatureException(
                    "its transparency-log entry is dated "
                            + entry.time()
                            + ", when the log's key was not"
                            + " valid");
        }
        if (entry.proof().isPresent()) {
            verifyProof(entry, entry.proof().get(), log);
        }
        // Keys in JCS order; the base64 and hex text needs no escaping, and integers are written as
        // they are.
        String canonical =
                "{\"body\":\""
                        + Base64.getEncoder().encodeToString(entry.body())
                        + "\",\"integratedTime\":"
                        + entry.integratedTime()
                        + ",\"logID\":\""
                        + log.hexId()
                        + "\",\"logIndex\":"
                        + entry.logIndex()
                        + "}";
        if (PublicKeys.verifies(log.key(), canonical.getBytes(StandardCharsets.UTF_8), promise)) {
            return entry.time();
        }
        throw new InvalidSignatureException(
                "its transparency-log entry's signed entry timestamp does not verify with the log's key");
    }

    /**
     * Verifies an inclusion proof: the entry's leaf hash leads along the audit path to the root
     * hash (RFC 9162 2.1.3.2), and a checkpoint (a signed note: origin, tree size, base64 root
     * hash) signed by the log's key holds that root.
     */
    static void verifyProof(Entry entry, Proof proof, TrustedRoot.LogKey log)
            throws InvalidSignatureException {
        if (proof.index() < 0 || proof.index() >= proof.treeSize()) {
            throw new InvalidSignatureException(
                    "its inclusion proof's index lies outside its tree");
        }
        byte[] hash = CertificateTransparency.sha256(concat(new byte[] {0}, entry.body()));
        long fn = proof.index();
        long sn = proof.treeSize() - 1;
        for (byte[] sibling : proof.hashes()) {
            if (sn == 0) {
                throw new InvalidSignatureException(
                        "its inclusion proof is longer than its tree is deep");
            }
            if ((fn & 1) == 1 || fn == sn) {
                hash = CertificateTransparency.sha256(concat(new byte[] {1}, sibling, hash));
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                hash = CertificateTransparency.sha256(concat(new byte[] {1}, hash, sibling));
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0 || !Arrays.equals(hash, proof.rootHash())) {
            throw new InvalidSignatureException(
                    "its inclusion proof does not lead to the tree's root hash");
        }
        Checkpoint.verify(proof.checkpoint(), log, proof.treeSize(), proof.rootHash());
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /**
     * Checks that a {@code dsse} v0.0.1 entry records this envelope: its one signature, made with
     * {@code certificate}, over {@code payload} (sigstore-go compares the same three; the envelope
     * hash depends on how the envelope was serialised, and is not compared).
     */
    static void bindDsse(Entry entry, byte[] payload, byte[] signature, X509Certificate certificate)
            throws InvalidSignatureException {
        JsonNode spec = spec(entry, "dsse", "0.0.1");
        JsonNode hash = spec.path("payloadHash");
        if (!"sha256".equals(hash.path("algorithm").asText())
                || !hex(CertificateTransparency.sha256(payload))
                        .equals(hash.path("value").asText())) {
            throw new InvalidSignatureException(
                    "its transparency-log entry records another payload");
        }
        JsonNode signatures = spec.path("signatures");
        if (!signatures.isArray() || signatures.size() != 1) {
            throw new InvalidSignatureException(
                    "its transparency-log entry does not record exactly one signature");
        }
        sameSignature(StrictJsonReader.text(signatures.get(0), "signature"), signature);
        sameCertificate(StrictJsonReader.text(signatures.get(0), "verifier"), certificate);
    }

    /**
     * Checks that a {@code hashedrekord} v0.0.1 entry records this signature of a payload whose
     * SHA-256 is {@code payloadSha256}, made with {@code certificate} (the legacy signature tag's
     * keyless entries).
     */
    static void bindHashedRekord(
            Entry entry, byte[] payloadSha256, byte[] signature, X509Certificate certificate)
            throws InvalidSignatureException {
        JsonNode spec = spec(entry, "hashedrekord", "0.0.1");
        JsonNode hash = spec.path("data").path("hash");
        if (!"sha256".equals(hash.path("algorithm").asText())
                || !hex(payloadSha256).equals(hash.path("value").asText())) {
            throw new InvalidSignatureException(
                    "its transparency-log entry records another payload");
        }
        sameSignature(StrictJsonReader.text(spec.path("signature"), "content"), signature);
        sameCertificate(
                StrictJsonReader.text(spec.path("signature").path("publicKey"), "content"),
                certificate);
    }

    private static JsonNode spec(Entry entry, String kind, String version)
            throws InvalidSignatureException {
        JsonNode body =
                StrictJsonReader.object(entry.body())
                        .orElseThrow(
                                () ->
                                        new InvalidSignatureException(
                                                "its transparency-log"
                                                        + " entry's body is not one JSON object"));
        String bodyKind = body.path("kind").asText();
        String bodyVersion = body.path("apiVersion").asText();
        if (!kind.equals(bodyKind) || !version.equals(bodyVersion)) {
            throw new InvalidSignatureException(
                    "its transparency-log entry is a "
                            + BundleReader.shorten(bodyKind)
                            + " "
                            + BundleReader.shorten(bodyVersion)
                            + " entry, not the "
                            + kind
                            + " "
                            + version
                            + " entry this signature makes");
        }
        if (!entry.kind().isEmpty()
                && (!kind.equals(entry.kind()) || !version.equals(entry.version()))) {
            throw new InvalidSignatureException(
                    "its transparency-log entry's kind differs from its body's");
        }
        return body.path("spec");
    }

    private static void sameSignature(Optional<String> recorded, byte[] signature)
            throws InvalidSignatureException {
        byte[] bytes = recorded.flatMap(StrictJsonReader::base64).orElse(new byte[0]);
        if (!Arrays.equals(bytes, signature)) {
            throw new InvalidSignatureException(
                    "its transparency-log entry records another signature");
        }
    }

    private static void sameCertificate(Optional<String> recorded, X509Certificate certificate)
            throws InvalidSignatureException {
        byte[] pem = recorded.flatMap(StrictJsonReader::base64).orElse(new byte[0]);
        try {
            X509Certificate logged = TrustedRoot.certificate(pem, "the transparency-log entry");
            if (Arrays.equals(logged.getEncoded(), certificate.getEncoded())) {
                return;
            }
        } catch (InvalidSignatureException | CertificateEncodingException e) {
            // refused below
        }
        throw new InvalidSignatureException(
                "its transparency-log entry records another certificate");
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
