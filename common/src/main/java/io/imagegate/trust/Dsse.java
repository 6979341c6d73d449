package io.imagegate.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Dead Simple Signing Envelopes (DSSE v1): a payload, its type, and signatures over the
 * pre-authentication encoding {@code PAE(type, payload) = "DSSEv1" SP len(type) SP type SP
 * len(payload) SP payload}, so the type is signed too.
 */
public final class Dsse {
    /** The payload type of in-toto statements. */
    public static final String IN_TOTO = "application/vnd.in-toto+json";

    /** Signatures read from one envelope at the most. */
    static final int MAX_SIGNATURES = 16;

    /** One signature and the key id it names (cosign writes none). */
    public record Sig(String keyId, byte[] signature) {}

    /** An envelope. */
    public record Envelope(String payloadType, byte[] payload, List<Sig> signatures) {
        public Envelope {
            payload = payload.clone();
            signatures = List.copyOf(signatures);
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        /**
         * The envelope as JSON: {@code payload} and signatures in standard base64, as the Sigstore
         * bundle's JSON has them.
         */
        public ObjectNode json() {
            ObjectNode e = Json.MAPPER.createObjectNode();
            e.put("payload", Base64.getEncoder().encodeToString(payload));
            e.put("payloadType", payloadType);
            for (Sig s : signatures) {
                ObjectNode sig = e.withArray("signatures").addObject();
                sig.put("sig", Base64.getEncoder().encodeToString(s.signature()));
                sig.put("keyid", s.keyId());
            }
            return e;
        }
    }

    private Dsse() {}

    /** The pre-authentication encoding the signatures cover. */
    public static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /**
     * Signs {@code payload} with {@code key}: an envelope with one signature and no key id, as
     * cosign writes it.
     */
    public static Envelope sign(String payloadType, byte[] payload, SigningKey key) {
        return new Envelope(
                payloadType, payload, List.of(new Sig("", key.sign(pae(payloadType, payload)))));
    }

    /**
     * Reads an envelope from its JSON (standard or URL-safe base64, as protobuf JSON accepts);
     * empty when it is not one.
     */
    public static Optional<Envelope> parse(JsonNode json) {
        if (!json.isObject()
                || !json.path("payloadType").isTextual()
                || !json.path("payload").isTextual()
                || !json.path("signatures").isArray()
                || json.path("signatures").size() > MAX_SIGNATURES) {
            return Optional.empty();
        }
        try {
            List<Sig> sigs = new ArrayList<>();
            for (JsonNode s : json.path("signatures")) {
                sigs.add(new Sig(s.path("keyid").asText(""), base64(s.path("sig").asText())));
            }
            return Optional.of(
                    new Envelope(
                            json.path("payloadType").asText(),
                            base64(json.path("payload").asText()),
                            sigs));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] base64(String text) {
        String standard = text.replace('-', '+').replace('_', '/');
        return Base64.getDecoder().decode(standard);
    }

    /** Whether some signature of {@code envelope} is {@code key}'s over its PAE. */
    public static boolean verifies(Envelope envelope, PublicKeys.Key key) {
        byte[] signed = pae(envelope.payloadType(), envelope.payload());
        return envelope.signatures().stream()
                .anyMatch(s -> PublicKeys.verifies(key.key(), signed, s.signature()));
    }
}
