package io.imagegate.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.Json;
import io.imagegate.message.ImageGateException;
import io.imagegate.reference.Digest;
import io.imagegate.reference.InvalidReferenceException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A manifest or index exactly as the registry served it. The bytes are kept unchanged so digests
 * stay equal; the parsed view only finds what the manifest points at.
 */
public final class Manifest {
    private static final ObjectMapper JSON = Json.MAPPER;

    private final String mediaType;
    private final byte[] bytes;
    private final Digest digest;
    private final JsonNode json;
    private final String where;

    private Manifest(String mediaType, byte[] bytes, Digest digest, JsonNode json, String where) {
        this.mediaType = mediaType;
        this.bytes = bytes;
        this.digest = digest;
        this.json = json;
        this.where = where;
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
            throw ImageGateException.integrity(
                    "manifest.not-json", "the manifest of {0} is not valid JSON", where);
        }
        if (json == null || !json.isObject()) {
            throw ImageGateException.integrity(
                    "manifest.not-object", "the manifest of {0} is not a JSON object", where);
        }
        String mediaType = json.path("mediaType").asText("");
        if (mediaType.isEmpty()) {
            mediaType = stripParameters(contentType);
        }
        if (json.path("schemaVersion").asInt() == 1 || MediaTypes.isSchema1(mediaType)) {
            throw ImageGateException.integrity(
                    "manifest.schema1",
                    "the manifest of {0} is Docker schema 1, which registries no longer accept;"
                            + " re-push the image with a current client (schema 2 or OCI) and import that",
                    where);
        }
        if (mediaType.isEmpty()) {
            // OCI manifests may omit mediaType; an index is recognised by its manifests array.
            mediaType = json.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        }
        if (!MediaTypes.isIndex(mediaType) && !MediaTypes.isManifest(mediaType)) {
            throw ImageGateException.integrity(
                    "manifest.media-type",
                    "the manifest of {0} has media type \"{1}\", which is neither an image manifest nor an index",
                    where,
                    mediaType);
        }
        Manifest manifest =
                new Manifest(mediaType, bytes.clone(), Digest.sha256(bytes), json, where);
        manifest.check();
        return manifest;
    }

    /**
     * Writes a new manifest or index (a verdict artifact, a referrers index) and reads it back as
     * the registry will.
     */
    public static Manifest create(ObjectNode json, String where) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(json);
            return parse(bytes, json.path("mediaType").asText(""), where);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every descriptor valid, and lists where lists belong: hostile documents fail here, not
     * half-way through a copy.
     */
    private void check() {
        for (String list : List.of("manifests", "layers", "blobs")) {
            JsonNode node = json.get(list);
            if (node != null && !node.isArray()) {
                throw ImageGateException.integrity(
                        "manifest.not-a-list",
                        "the manifest of {0} has a \"{1}\" that is not a list",
                        where,
                        list);
            }
        }
        if (isIndex()) {
            manifests();
        } else {
            blobs();
        }
        subject();
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
            out.add(descriptor(node, "manifests[]"));
        }
        return out;
    }

    /**
     * For an image or artifact manifest: the config blob, then the layers (and blobs of an artifact
     * manifest).
     */
    public List<Descriptor> blobs() {
        List<Descriptor> out = new ArrayList<>();
        config().ifPresent(out::add);
        for (JsonNode node : json.path("layers")) {
            out.add(descriptor(node, "layers[]"));
        }
        for (JsonNode node : json.path("blobs")) {
            out.add(descriptor(node, "blobs[]"));
        }
        return out;
    }

    /**
     * The config descriptor of an image manifest; an index has none, whatever it carries under that
     * name.
     */
    public Optional<Descriptor> config() {
        if (isIndex()) {
            return Optional.empty();
        }
        JsonNode config = json.get("config");
        return config == null || config.isNull()
                ? Optional.empty()
                : Optional.of(descriptor(config, "config"));
    }

    /** The layers of an image manifest; an index has none. */
    public List<Descriptor> layers() {
        List<Descriptor> out = new ArrayList<>();
        if (isIndex()) {
            return out;
        }
        for (JsonNode node : json.path("layers")) {
            out.add(descriptor(node, "layers[]"));
        }
        return out;
    }

    /**
     * The manifest this one refers to (OCI 1.1 {@code subject}), for a referrer such as a signature
     * or a verdict.
     */
    public Optional<Descriptor> subject() {
        JsonNode subject = json.get("subject");
        return subject == null || subject.isNull()
                ? Optional.empty()
                : Optional.of(descriptor(subject, "subject"));
    }

    /**
     * The {@code artifactType}, or for an image manifest without one, its config's media type (as
     * the spec says).
     */
    public Optional<String> artifactType() {
        String type = json.path("artifactType").asText("");
        if (!type.isEmpty()) {
            return Optional.of(type);
        }
        return config().map(Descriptor::mediaType).filter(t -> !t.isEmpty());
    }

    /** The manifest's annotations. */
    public Map<String, String> annotations() {
        return annotations(json.get("annotations"));
    }

    private static Map<String, String> annotations(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.fields()
                .forEachRemaining(
                        e -> {
                            if (e.getValue().isTextual()) {
                                out.put(e.getKey(), e.getValue().asText());
                            }
                        });
        return out;
    }

    /** The parsed document, read-only by convention (the bytes are what counts). */
    public JsonNode json() {
        return json.deepCopy();
    }

    /**
     * A descriptor, checked: a valid digest, and a size (the OCI spec requires it; a descriptor
     * without one, or with a negative one, would let a source stream without limit).
     */
    private Descriptor descriptor(JsonNode node, String field) {
        return descriptor(node, field, where);
    }

    private static Descriptor descriptor(JsonNode node, String field, String where) {
        if (node == null || !node.isObject()) {
            throw ImageGateException.integrity(
                    "manifest.descriptor",
                    "the manifest of {0} has a {1} that is not a descriptor",
                    where,
                    field);
        }
        Digest digest;
        try {
            digest = Digest.parse(node.path("digest").asText(""));
        } catch (InvalidReferenceException e) {
            throw ImageGateException.integrity(
                    "manifest.descriptor-digest",
                    "the manifest of {0} has a {1} with an invalid digest ({2})",
                    where,
                    field,
                    e.rule());
        }
        JsonNode size = node.get("size");
        if (size == null
                || !size.isIntegralNumber()
                || !size.canConvertToLong()
                || size.asLong() < 0) {
            throw ImageGateException.integrity(
                    "manifest.descriptor-size",
                    "the manifest of {0} has a {1} ({2}) without a valid size;"
                            + " refused (the OCI spec requires one)",
                    where,
                    field,
                    digest.shortForm());
        }
        Optional<Platform> platform = Optional.empty();
        JsonNode p = node.get("platform");
        if (p != null && p.isObject()) {
            platform =
                    Optional.of(
                            new Platform(
                                    p.path("os").asText(""),
                                    p.path("architecture").asText(""),
                                    p.path("variant").asText(null)));
        }
        String artifactType = node.path("artifactType").asText("");
        return new Descriptor(
                node.path("mediaType").asText(""),
                digest,
                size.asLong(),
                platform,
                artifactType.isEmpty() ? Optional.empty() : Optional.of(artifactType),
                annotations(node.get("annotations")));
    }

    /**
     * A new index with only the manifests that {@code keep} accepts, every other field unchanged.
     * Its bytes (and so its digest) differ from this index's.
     */
    public Manifest filterIndex(Predicate<Descriptor> keep) {
        if (!isIndex()) {
            throw new IllegalStateException("not an index: " + mediaType);
        }
        ObjectNode copy = json.deepCopy();
        ArrayNode kept = copy.putArray("manifests");
        for (JsonNode node : json.path("manifests")) {
            if (keep.test(descriptor(node, "manifests[]"))) {
                kept.add(node);
            }
        }
        try {
            byte[] newBytes = JSON.writeValueAsBytes(copy);
            return new Manifest(mediaType, newBytes, Digest.sha256(newBytes), copy, where);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
