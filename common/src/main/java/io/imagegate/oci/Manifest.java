package io.imagegate.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.ImageGateException;
import io.imagegate.Json;
import io.imagegate.reference.Digest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A manifest or index exactly as the registry served it. The bytes are kept unchanged so digests stay equal;
 * the parsed view only finds what the manifest points at.
 */
public final class Manifest {
    private static final ObjectMapper JSON = Json.MAPPER;

    private final String mediaType;
    private final byte[] bytes;
    private final Digest digest;
    private final JsonNode json;

    private Manifest(String mediaType, byte[] bytes, Digest digest, JsonNode json) {
        this.mediaType = mediaType;
        this.bytes = bytes;
        this.digest = digest;
        this.json = json;
    }

    /**
     * Parses manifest bytes. The media type is the one in the body when it has one, otherwise the
     * {@code Content-Type} the registry sent.
     */
    public static Manifest parse(byte[] bytes, String contentType, String where) {
        JsonNode json;
        try {
            json = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ImageGateException("the manifest of " + where + " is not valid JSON: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw new ImageGateException("the manifest of " + where + " is not a JSON object");
        }
        String mediaType = json.path("mediaType").asText("");
        if (mediaType.isEmpty()) {
            mediaType = stripParameters(contentType);
        }
        if (json.path("schemaVersion").asInt() == 1 || MediaTypes.isSchema1(mediaType)) {
            throw new ImageGateException("the manifest of " + where + " is Docker schema 1, which registries no longer accept;"
                    + " re-push the image with a current client (schema 2 or OCI) and import that");
        }
        if (mediaType.isEmpty()) {
            // OCI manifests may omit mediaType; an index is recognised by its manifests array.
            mediaType = json.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        }
        if (!MediaTypes.isIndex(mediaType) && !MediaTypes.isManifest(mediaType)) {
            throw new ImageGateException("the manifest of " + where + " has media type \"" + mediaType
                    + "\", which is neither an image manifest nor an index");
        }
        return new Manifest(mediaType, bytes.clone(), Digest.sha256(bytes), json);
    }

    private static String stripParameters(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
    }

    public String mediaType() {
        return mediaType;
    }

    /** The exact bytes; a copy. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int size() {
        return bytes.length;
    }

    public Digest digest() {
        return digest;
    }

    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }

    public Descriptor descriptor() {
        return new Descriptor(mediaType, digest, bytes.length);
    }

    /** For an index: the manifests it lists, with their platforms. */
    public List<Descriptor> manifests() {
        List<Descriptor> out = new ArrayList<>();
        for (JsonNode node : json.path("manifests")) {
            out.add(descriptor(node));
        }
        return out;
    }

    /** For an image or artifact manifest: the config blob, then the layers (and blobs of an artifact manifest). */
    public List<Descriptor> blobs() {
        List<Descriptor> out = new ArrayList<>();
        if (json.has("config")) {
            out.add(descriptor(json.get("config")));
        }
        for (JsonNode node : json.path("layers")) {
            out.add(descriptor(node));
        }
        for (JsonNode node : json.path("blobs")) {
            out.add(descriptor(node));
        }
        return out;
    }

    /** The platform of an image manifest's config is not in the manifest; indexes carry it per descriptor. */
    private static Descriptor descriptor(JsonNode node) {
        Digest digest = Digest.parse(node.path("digest").asText());
        Optional<Platform> platform = Optional.empty();
        JsonNode p = node.get("platform");
        if (p != null && p.isObject()) {
            platform = Optional.of(new Platform(p.path("os").asText(""), p.path("architecture").asText(""),
                    p.path("variant").asText(null)));
        }
        return new Descriptor(node.path("mediaType").asText(""), digest, node.path("size").asLong(-1), platform);
    }

    /**
     * A new index with only the manifests that {@code keep} accepts, every other field unchanged. Its bytes
     * (and so its digest) differ from this index's.
     */
    public Manifest filterIndex(Predicate<Descriptor> keep) {
        if (!isIndex()) {
            throw new IllegalStateException("not an index: " + mediaType);
        }
        ObjectNode copy = json.deepCopy();
        ArrayNode kept = copy.putArray("manifests");
        for (JsonNode node : json.path("manifests")) {
            if (keep.test(descriptor(node))) {
                kept.add(node);
            }
        }
        try {
            byte[] newBytes = JSON.writeValueAsBytes(copy);
            return new Manifest(mediaType, newBytes, Digest.sha256(newBytes), copy);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
