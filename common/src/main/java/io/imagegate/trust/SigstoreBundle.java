package io.imagegate.trust;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.Json;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Optional;

/**
 * A Sigstore bundle v0.3 ({@code application/vnd.dev.sigstore.bundle.v0.3+json}, protobuf-specs'
 * {@code Bundle} in its JSON form) holding a DSSE envelope signed with a key: the verification
 * material is the key's hint (base64 of the SHA-256 of its DER encoding, as sigstore-go writes it),
 * with no transparency-log entry. This is what {@code cosign attest --key … --tlog-upload=false}
 * writes, and {@code cosign verify-attestation --key … --insecure-ignore-tlog} reads.
 */
public record SigstoreBundle(String mediaType, String keyHint, Dsse.Envelope envelope) {
    public static final String MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";

    /** A bundle read back is a verdict document and some; anything beyond this is not one. */
    public static final int MAX_BYTES = 8 * 1024 * 1024;

    /** A bundle of {@code envelope} signed by {@code key}. */
    public static SigstoreBundle of(Dsse.Envelope envelope, PublicKey key) {
        return new SigstoreBundle(MEDIA_TYPE, hint(key), envelope);
    }

    /**
     * sigstore-go's key hint: the standard base64 of the SHA-256 of the key's DER
     * (SubjectPublicKeyInfo).
     */
    public static String hint(PublicKey key) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] bytes() {
        ObjectNode b = Json.MAPPER.createObjectNode();
        b.put("mediaType", mediaType);
        b.putObject("verificationMaterial").putObject("publicKey").put("hint", keyHint);
        b.set("dsseEnvelope", envelope.json());
        try {
            return Json.MAPPER.writeValueAsBytes(b);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a bundle; empty when the bytes are not a v0.3 bundle holding a DSSE envelope. */
    public static Optional<SigstoreBundle> parse(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            return Optional.empty();
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (json == null
                || !json.isObject()
                || !MEDIA_TYPE.equals(json.path("mediaType").asText())) {
            return Optional.empty();
        }
        return Dsse.parse(json.path("dsseEnvelope"))
                .map(
                        e ->
                                new SigstoreBundle(
                                        json.path("mediaType").asText(),
                                        json.path("verificationMaterial")
                                                .path("publicKey")
                                                .path("hint")
                                                .asText(""),
                                        e));
    }
}
