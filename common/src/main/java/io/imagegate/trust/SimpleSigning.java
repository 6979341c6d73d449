package io.imagegate.trust;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * cosign's legacy signatures ({@code cosign sign --new-bundle-format=false}): an image under the
 * tag {@code sha256-<hex>.sig} beside the signed image, each layer a simple-signing payload whose
 * signature is the layer's annotation. What a signature claims is the payload's {@code
 * critical.image.docker-manifest-digest}; cosign's {@code SimpleClaimVerifier} checks that and
 * nothing else of it, and so does this.
 */
public final class SimpleSigning {
    public static final String LAYER_MEDIA_TYPE =
            "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";

    /**
     * A keyless signature's certificate (PEM), and its Rekor entry with the signed entry timestamp
     * (cosign's RekorBundle).
     */
    public static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";

    public static final String BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle";

    /** A payload is a few hundred bytes (with optional annotations a few KB). */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    private SimpleSigning() {}

    /** The tag cosign writes the signatures of {@code digest} under: {@code sha256-<hex>.sig}. */
    public static String tagOf(Digest digest) {
        return digest.algorithm() + "-" + digest.hex() + ".sig";
    }

    /**
     * The digest a payload signs for (call only once its signature verified); refused when there is
     * none.
     */
    static String signedDigest(byte[] payload) throws InvalidSignatureException {
        JsonNode root =
                StrictJsonReader.object(payload)
                        .orElseThrow(
                                () ->
                                        new InvalidSignatureException(
                                                "the simple-signing payload is"
                                                        + " not one JSON object (or repeats a key)"));
        Optional<String> digest =
                Optional.ofNullable(root.get("critical"))
                        .filter(JsonNode::isObject)
                        .map(c -> c.get("image"))
                        .filter(JsonNode::isObject)
                        .flatMap(i -> StrictJsonReader.text(i, "docker-manifest-digest"));
        return digest.orElseThrow(
                () ->
                        new InvalidSignatureException(
                                "the simple-signing payload names no"
                                        + " critical.image.docker-manifest-digest"));
    }

    /**
     * The transparency-log entry a legacy keyless signature carries in its {@value
     * #BUNDLE_ANNOTATION} annotation: {@code {"SignedEntryTimestamp": base64, "Payload": {"body":
     * base64, "integratedTime", "logIndex", "logID": hex}}}.
     */
    static TransparencyLog.Entry logEntry(String annotation) throws InvalidSignatureException {
        JsonNode root =
                StrictJsonReader.object(annotation.getBytes(StandardCharsets.UTF_8))
                        .orElseThrow(
                                () ->
                                        new InvalidSignatureException(
                                                "its log-entry annotation is not one JSON object"));
        JsonNode payload = root.path("Payload");
        byte[] promise =
                StrictJsonReader.text(root, "SignedEntryTimestamp")
                        .flatMap(StrictJsonReader::base64)
                        .orElseThrow(
                                () ->
                                        new InvalidSignatureException(
                                                "its log-entry annotation has no signed entry timestamp"));
        byte[] body =
                StrictJsonReader.text(payload, "body")
                        .flatMap(StrictJsonReader::base64)
                        .orElseThrow(
                                () ->
                                        new InvalidSignatureException(
                                                "its log-entry annotation has no body"));
        JsonNode time = payload.get("integratedTime");
        JsonNode index = payload.get("logIndex");
        if (time == null
                || !time.isIntegralNumber()
                || !time.canConvertToLong()
                || index == null
                || !index.isIntegralNumber()
                || !index.canConvertToLong()) {
            throw new InvalidSignatureException(
                    "its log-entry annotation's integratedTime or logIndex is not an integer");
        }
        byte[] logId;
        try {
            logId = HexFormat.of().parseHex(StrictJsonReader.text(payload, "logID").orElse(""));
        } catch (IllegalArgumentException e) {
            throw new InvalidSignatureException("its log-entry annotation's logID is not hex");
        }
        return new TransparencyLog.Entry(
                index.asLong(),
                logId,
                "",
                "",
                time.asLong(),
                Optional.of(promise),
                body,
                Optional.empty());
    }
}
