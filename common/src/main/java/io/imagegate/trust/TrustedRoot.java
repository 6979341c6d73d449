package io.imagegate.trust;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.message.ImageGateException;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A Sigstore trusted root ({@code trusted_root.json}, protobuf-specs' {@code
 * dev.sigstore.trustedroot.v1.TrustedRoot} in its JSON form): the certificate authorities that
 * issue signing certificates (Fulcio), the transparency logs whose signed entry timestamps prove
 * when a signature was made (Rekor), and the certificate-transparency logs whose SCTs a certificate
 * must carry. Each with the time it is valid for. Timestamp authorities are read past: signed
 * timestamps are not verified (see {@link KeylessVerifier}).
 *
 * <p>This is the file {@code cosign verify --trusted-root} reads; for the public-good instance it
 * comes from Sigstore's TUF repository ({@code cosign trusted-root create} or the TUF client's
 * cache), and the file is what is trusted: it is read from the policy's directory, never fetched.
 */
public record TrustedRoot(
        String source,
        List<Authority> authorities,
        List<LogKey> transparencyLogs,
        List<LogKey> ctLogs) {
    /** The public-good root is about 10 KB; a root this large is not one. */
    static final int MAX_BYTES = 1024 * 1024;

    static final String MEDIA_TYPE_PREFIX = "application/vnd.dev.sigstore.trustedroot";

    public TrustedRoot {
        authorities = List.copyOf(authorities);
        transparencyLogs = List.copyOf(transparencyLogs);
        ctLogs = List.copyOf(ctLogs);
    }

    /** A time span; {@code end} is open when empty. */
    public record Validity(Instant start, Optional<Instant> end) {
        boolean covers(Instant t) {
            return !t.isBefore(start) && end.map(e -> !t.isAfter(e)).orElse(true);
        }
    }

    /** A certificate authority: its chain, the issuing certificate first and the root last. */
    public record Authority(List<X509Certificate> chain, Validity validFor) {
        public Authority {
            chain = List.copyOf(chain);
        }
    }

    /**
     * A log's key: the log's ID (the SHA-256 of the key's DER form, as logs name themselves) and
     * when it is valid.
     */
    public record LogKey(byte[] keyId, PublicKey key, Validity validFor) {
        public LogKey {
            keyId = keyId.clone();
        }

        @Override
        public byte[] keyId() {
            return keyId.clone();
        }

        String hexId() {
            return HexFormat.of().formatHex(keyId);
        }

        boolean is(byte[] id) {
            return Arrays.equals(keyId, id);
        }
    }

    /** Loads a trusted root file; {@code namedBy} says where the file was named, for errors. */
    public static TrustedRoot load(Path file, Object namedBy) {
        byte[] bytes =
                TrustFile.read(file, MAX_BYTES, "trusted root", "trusted-root", namedBy, false);
        try {
            return parse(bytes, file.toString());
        } catch (InvalidSignatureException e) {
            throw ImageGateException.configuration(
                    "trusted-root.invalid",
                    "the trusted root file {0} ({1}) is not a Sigstore trusted root:"
                            + " {2}. Give the trusted_root.json that cosign verify --trusted-root reads",
                    file,
                    namedBy,
                    e.getMessage());
        }
    }

    static TrustedRoot parse(byte[] bytes, String source) throws InvalidSignatureException {
        if (bytes.length > MAX_BYTES) {
            throw new InvalidSignatureException("it is larger than " + MAX_BYTES + " bytes");
        }
        JsonNode root =
                StrictJsonReader.object(bytes)
                        .orElseThrow(
                                () -> new InvalidSignatureException("it is not one JSON object"));
        String mediaType = StrictJsonReader.text(root, "mediaType").orElse("");
        if (!mediaType.startsWith(MEDIA_TYPE_PREFIX)) {
            throw new InvalidSignatureException(
                    "its media type \""
                            + BundleReader.shorten(mediaType)
                            + "\" is not "
                            + MEDIA_TYPE_PREFIX
                            + "+json");
        }
        List<Authority> authorities = new ArrayList<>();
        for (JsonNode ca : array(root, "certificateAuthorities")) {
            List<X509Certificate> chain = new ArrayList<>();
            for (JsonNode cert : array(ca.path("certChain"), "certificates")) {
                chain.add(
                        certificate(
                                bytes(cert, "rawBytes", "a certificate authority's certificate"),
                                "a certificate authority"));
            }
            if (chain.isEmpty()) {
                throw new InvalidSignatureException("a certificate authority has no certificates");
            }
            authorities.add(
                    new Authority(chain, validity(ca.path("validFor"), "a certificate authority")));
        }
        if (authorities.isEmpty()) {
            throw new InvalidSignatureException("it lists no certificate authority");
        }
        List<LogKey> tlogs = logs(root, "tlogs");
        if (tlogs.isEmpty()) {
            throw new InvalidSignatureException("it lists no transparency log (tlogs)");
        }
        return new TrustedRoot(source, authorities, tlogs, logs(root, "ctlogs"));
    }

    private static List<LogKey> logs(JsonNode root, String field) throws InvalidSignatureException {
        List<LogKey> logs = new ArrayList<>();
        for (JsonNode log : array(root, field)) {
            String what = "a log in " + field;
            byte[] id = bytes(log.path("logId"), "keyId", what + " (logId.keyId)");
            JsonNode key = log.path("publicKey");
            byte[] der = bytes(key, "rawBytes", what + " (publicKey.rawBytes)");
            String details = StrictJsonReader.text(key, "keyDetails").orElse("");
            String algorithm =
                    details.startsWith("PKIX_ECDSA_")
                            ? "EC"
                            : details.equals("PKIX_ED25519") ? "Ed25519" : null;
            if (algorithm == null) {
                continue; // a key kind no entry this verifier accepts can be signed with;
                // sigstore-go skips them too
            }
            PublicKey publicKey;
            try {
                publicKey =
                        KeyFactory.getInstance(algorithm)
                                .generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new InvalidSignatureException(
                        what + " has a public key that is not a valid " + details + " key");
            }
            logs.add(new LogKey(id, publicKey, validity(key.path("validFor"), what)));
        }
        return logs;
    }

    private static Iterable<JsonNode> array(JsonNode node, String field)
            throws InvalidSignatureException {
        JsonNode value = node.get(field);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray() || value.size() > 256) {
            throw new InvalidSignatureException(field + " is not a list (of at most 256 entries)");
        }
        return value;
    }

    private static byte[] bytes(JsonNode node, String field, String what)
            throws InvalidSignatureException {
        return StrictJsonReader.text(node, field)
                .flatMap(StrictJsonReader::base64)
                .orElseThrow(
                        () -> new InvalidSignatureException(what + " is missing or not base64"));
    }

    private static Validity validity(JsonNode node, String what) throws InvalidSignatureException {
        Optional<String> start = StrictJsonReader.text(node, "start");
        if (start.isEmpty()) {
            // Without a start a key would vouch for any past time (sigstore-go refuses such a log
            // too).
            throw new InvalidSignatureException(what + " has no validFor.start");
        }
        Optional<String> end = StrictJsonReader.text(node, "end");
        return new Validity(
                time(start.get(), what),
                end.isPresent() ? Optional.of(time(end.get(), what)) : Optional.empty());
    }

    private static Instant time(String text, String what) throws InvalidSignatureException {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidSignatureException(
                    what
                            + " has a validity time that is not RFC 3339: \""
                            + BundleReader.shorten(text)
                            + "\"");
        }
    }

    static X509Certificate certificate(byte[] der, String what) throws InvalidSignatureException {
        try {
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new InvalidSignatureException(
                    what + " has a certificate that is not valid DER X.509");
        }
    }

    /** The transparency log with this ID; empty when the root does not list it. */
    Optional<LogKey> transparencyLog(byte[] id) {
        return transparencyLogs.stream().filter(l -> l.is(id)).findFirst();
    }

    Optional<LogKey> ctLog(byte[] id) {
        return ctLogs.stream().filter(l -> l.is(id)).findFirst();
    }
}
