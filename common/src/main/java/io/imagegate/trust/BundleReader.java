package io.imagegate.trust;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Sigstore bundles v0.3 (protobuf-specs {@code dev.sigstore.bundle.v1.Bundle} in its JSON
 * mapping), the format {@code cosign sign} (v3) pushes as an OCI referrer, and the in-toto
 * statement a bundle's DSSE envelope signs. Reading only: what is signed and by which material;
 * whether the signature verifies is {@link UpstreamSignatures}' business.
 *
 * <p>Stricter than Go's protojson where that cannot refuse a bundle cosign writes: only the JSON
 * field names (never the proto names), no unknown fields, no duplicate keys.
 */
public final class BundleReader {
    /**
     * A keyed bundle is about 2 KB, a keyless one with its certificate and log entry about 10 KB.
     */
    public static final int MAX_BYTES = 256 * 1024;

    /**
     * The media type prefix of a bundle, as a referrer's layer and artifact type (cosign: {@code
     * ociremote.Bundle}).
     */
    public static final String MEDIA_TYPE_PREFIX = "application/vnd.dev.sigstore.bundle";

    /**
     * The DSSE payload type of an in-toto statement, the only one a Sigstore verifier reads a
     * subject from.
     */
    public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

    public static final String STATEMENT_V1 = "https://in-toto.io/Statement/v1";

    /** More subjects than this is refused, as sigstore-go limits them. */
    static final int MAX_SUBJECTS = 1024;

    private static final Set<String> V03 =
            Set.of(MEDIA_TYPE_PREFIX + ".v0.3+json", MEDIA_TYPE_PREFIX + "+json;version=0.3");
    private static final Set<String> BUNDLE_FIELDS =
            Set.of("mediaType", "verificationMaterial", "dsseEnvelope", "messageSignature");
    private static final Set<String> MATERIAL_FIELDS =
            Set.of(
                    "publicKey",
                    "certificate",
                    "x509CertificateChain",
                    "tlogEntries",
                    "timestampVerificationData");
    private static final Set<String> ENVELOPE_FIELDS =
            Set.of("payload", "payloadType", "signatures");
    private static final Set<String> STATEMENT_FIELDS =
            Set.of("_type", "subject", "predicateType", "predicate");

    /**
     * What verifies a bundle's signature: a public key (cosign {@code --key}), or a certificate
     * (keyless).
     */
    public enum Material {
        PUBLIC_KEY,
        CERTIFICATE,
        CERTIFICATE_CHAIN
    }

    /**
     * A bundle: its verification material and, for a DSSE bundle, the envelope (empty for a message
     * signature); for a keyless one its certificate (a v0.3 bundle's single certificate) and its
     * transparency-log entries, read when verified.
     */
    public record Bundle(
            Material material,
            Optional<Envelope> envelope,
            Optional<X509Certificate> certificate,
            JsonNode tlogEntries) {}

    /** A DSSE envelope: what is signed is its pre-authentication encoding, {@link #pae()}. */
    public record Envelope(String payloadType, byte[] payload, List<byte[]> signatures) {
        public Envelope {
            payload = payload.clone();
            signatures = signatures.stream().map(byte[]::clone).toList();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public List<byte[]> signatures() {
            return signatures.stream().map(byte[]::clone).toList();
        }

        /**
         * DSSE v1's PAE, which the signatures cover ({@link Dsse#pae}, the one encoding both
         * directions use).
         */
        public byte[] pae() {
            return Dsse.pae(payloadType, payload);
        }
    }

    /**
     * An in-toto statement: its predicate type and every subject digest as {@code algorithm:hex}.
     */
    public record Statement(String predicateType, List<String> subjectDigests) {
        public Statement {
            subjectDigests = List.copyOf(subjectDigests);
        }
    }

    private BundleReader() {}

    /** Reads a bundle; refused (with the reason) unless it is a well-formed v0.3 bundle. */
    static Bundle read(byte[] bytes) throws InvalidSignatureException {
        if (bytes.length > MAX_BYTES) {
            throw new InvalidSignatureException(
                    "the bundle is larger than " + MAX_BYTES + " bytes");
        }
        JsonNode root =
                StrictJsonReader.object(bytes)
                        .orElseThrow(
                                () ->
                                        new InvalidSignatureException(
                                                "the bundle is not one JSON"
                                                        + " object (or repeats a key)"));
        onlyFields(root, BUNDLE_FIELDS, "the bundle");
        String mediaType = StrictJsonReader.text(root, "mediaType").orElse("");
        if (!V03.contains(mediaType)) {
            throw new InvalidSignatureException(
                    "the bundle's media type \""
                            + shorten(mediaType)
                            + "\" is not a Sigstore bundle v0.3");
        }
        JsonNode material = root.get("verificationMaterial");
        if (material == null || !material.isObject()) {
            throw new InvalidSignatureException("the bundle has no verification material");
        }
        onlyFields(material, MATERIAL_FIELDS, "the bundle's verification material");
        List<Material> kinds = new ArrayList<>();
        if (material.has("publicKey")) {
            kinds.add(Material.PUBLIC_KEY);
        }
        if (material.has("certificate")) {
            kinds.add(Material.CERTIFICATE);
        }
        if (material.has("x509CertificateChain")) {
            kinds.add(Material.CERTIFICATE_CHAIN);
        }
        if (kinds.size() != 1) {
            throw new InvalidSignatureException(
                    "the bundle's verification material holds "
                            + (kinds.isEmpty() ? "neither" : "more than one of")
                            + " a public key, a certificate or a certificate chain");
        }
        boolean dsse = root.has("dsseEnvelope");
        if (dsse == root.has("messageSignature")) {
            throw new InvalidSignatureException(
                    "the bundle holds "
                            + (dsse ? "both" : "neither")
                            + " a DSSE envelope and a message signature");
        }
        Optional<X509Certificate> certificate = Optional.empty();
        if (kinds.get(0) == Material.CERTIFICATE) {
            byte[] der =
                    StrictJsonReader.text(material.path("certificate"), "rawBytes")
                            .flatMap(StrictJsonReader::base64)
                            .orElseThrow(
                                    () ->
                                            new InvalidSignatureException(
                                                    "the bundle's certificate is missing or not base64"));
            certificate = Optional.of(TrustedRoot.certificate(der, "the bundle"));
        }
        return new Bundle(
                kinds.get(0),
                dsse ? Optional.of(envelope(root.get("dsseEnvelope"))) : Optional.empty(),
                certificate,
                material.path("tlogEntries"));
    }

    private static Envelope envelope(JsonNode node) throws InvalidSignatureException {
        if (!node.isObject()) {
            throw new InvalidSignatureException("the bundle's DSSE envelope is not an object");
        }
        onlyFields(node, ENVELOPE_FIELDS, "the DSSE envelope");
        String payloadType =
                StrictJsonReader.text(node, "payloadType")
                        .orElseThrow(
                                () ->
                                        new InvalidSignatureException(
                                                "the DSSE envelope has no payload type"));
        byte[] payload =
                StrictJsonReader.text(node, "payload")
                        .flatMap(StrictJsonReader::base64)
                        .orElseThrow(
                                () ->
                                        new InvalidSignatureException(
                                                "the DSSE envelope's payload is missing or not base64"));
        JsonNode signatures = node.get("signatures");
        // A DSSE envelope in a Sigstore bundle carries exactly one signature (sigstore-go refuses
        // any other count).
        if (signatures == null
                || !signatures.isArray()
                || signatures.size() != 1
                || !signatures.get(0).isObject()) {
            throw new InvalidSignatureException(
                    "the DSSE envelope does not carry exactly one signature");
        }
        JsonNode signature = signatures.get(0);
        onlyFields(signature, Set.of("sig", "keyid"), "the DSSE signature");
        byte[] sig =
                StrictJsonReader.text(signature, "sig")
                        .flatMap(StrictJsonReader::base64)
                        .orElseThrow(
                                () ->
                                        new InvalidSignatureException(
                                                "the DSSE signature is missing or not base64"));
        return new Envelope(payloadType, payload, List.of(sig));
    }

    /** Reads the in-toto statement an envelope signs (call only once its signature verified). */
    static Statement statement(Envelope envelope) throws InvalidSignatureException {
        if (!IN_TOTO_PAYLOAD_TYPE.equals(envelope.payloadType())) {
            throw new InvalidSignatureException(
                    "the DSSE payload type is \""
                            + shorten(envelope.payloadType())
                            + "\", not an in-toto"
                            + " statement");
        }
        JsonNode root =
                StrictJsonReader.object(envelope.payload())
                        .orElseThrow(
                                () ->
                                        new InvalidSignatureException(
                                                "the signed"
                                                        + " statement is not one JSON object (or repeats a key)"));
        onlyFields(root, STATEMENT_FIELDS, "the signed statement");
        if (!STATEMENT_V1.equals(StrictJsonReader.text(root, "_type").orElse(""))) {
            throw new InvalidSignatureException(
                    "the signed statement is not an in-toto statement v1");
        }
        JsonNode subjects = root.get("subject");
        if (subjects == null || !subjects.isArray() || subjects.size() > MAX_SUBJECTS) {
            throw new InvalidSignatureException(
                    "the signed statement has no subject list (or more than "
                            + MAX_SUBJECTS
                            + " subjects)");
        }
        List<String> digests = new ArrayList<>();
        for (JsonNode subject : subjects) {
            JsonNode digest = subject.get("digest");
            if (!subject.isObject() || digest == null || !digest.isObject()) {
                throw new InvalidSignatureException(
                        "a subject of the signed statement has no digest");
            }
            for (Iterator<String> names = digest.fieldNames(); names.hasNext(); ) {
                String algorithm = names.next();
                if (!digest.get(algorithm).isTextual()) {
                    throw new InvalidSignatureException(
                            "a subject digest of the signed statement is not text");
                }
                digests.add(algorithm + ":" + digest.get(algorithm).asText());
            }
        }
        return new Statement(StrictJsonReader.text(root, "predicateType").orElse(""), digests);
    }

    private static void onlyFields(JsonNode node, Set<String> known, String what)
            throws InvalidSignatureException {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new InvalidSignatureException(
                        what + " has the unknown field \"" + shorten(name) + "\"");
            }
        }
    }

    /** Hostile text shown in a reason: bounded, control characters made visible. */
    static String shorten(String text) {
        return io.imagegate.message.Message.neutralize(
                text.length() <= 80 ? text : text.substring(0, 80) + "…");
    }
}
