package io.imagegate.trust;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads the signed JSON of signatures (bundles, statements, simple-signing payloads). A duplicate
 * key is refused rather than resolved: two readers that each pick another copy (Go keeps the last)
 * would each believe another claim.
 */
final class StrictJsonReader {
    private static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(
                            DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY,
                            DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();

    private StrictJsonReader() {}

    /** The JSON object in {@code bytes}, or empty when they are not exactly one JSON object. */
    static Optional<JsonNode> object(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A text field's value, or empty when it is absent or not text. */
    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    /**
     * Bytes as protobuf's JSON mapping writes them: base64, standard or URL-safe alphabet, padding
     * optional (what Go's protojson, and so cosign, accepts). Empty when the text is not base64.
     */
    static Optional<byte[]> base64(String text) {
        try {
            boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
            return Optional.of(
                    (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
