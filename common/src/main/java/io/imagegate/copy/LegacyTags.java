package io.imagegate.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.Json;
import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.reference.Digest;
import io.imagegate.registry.RemoteRepository;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * cosign's legacy tags ({@code sha256-<hex>.sig}, {@code .att}, {@code .sbom}): an image whose
 * every layer is one signature (or attestation) with its annotations. cosign adds a signature by
 * appending a layer; merging two such images is the same: the target's layers, then the source's it
 * lacks, and the config's {@code rootfs.diff_ids} to match (the layers are not compressed, so a
 * layer's diff id is its digest).
 */
final class LegacyTags {
    /** A cosign signature image's config is a few hundred bytes; a larger one is not cosign's. */
    private static final int MAX_CONFIG_BYTES = 1024 * 1024;

    /** Signatures under one legacy tag at the most. */
    static final int MAX_LAYERS = 1024;

    private LegacyTags() {}

    /** The merged image: its manifest and the new config it points at. */
    record Merged(Manifest manifest, Descriptor config, byte[] configBytes) {}

    /** {@code ours} with the layers of {@code theirs} it lacks; empty when it has them all. */
    static Optional<Merged> merge(
            RemoteRepository target, Manifest ours, Manifest theirs, String tag) {
        Set<Digest> have = new LinkedHashSet<>();
        ours.layers().forEach(l -> have.add(l.digest()));
        List<JsonNode> added = new java.util.ArrayList<>();
        JsonNode theirLayers = theirs.json().path("layers");
        List<Descriptor> parsed = theirs.layers();
        for (int i = 0; i < parsed.size() && i < theirLayers.size(); i++) {
            if (have.add(parsed.get(i).digest())) {
                added.add(theirLayers.get(i));
            }
        }
        if (added.isEmpty()) {
            return Optional.empty();
        }
        if (have.size() > MAX_LAYERS) {
            throw ImageGateException.integrity(
                    "import.legacy-too-many",
                    "the tag {0} would hold more than {1} signatures; refused",
                    tag,
                    MAX_LAYERS);
        }
        Descriptor oldConfig =
                ours.config()
                        .orElseThrow(
                                () ->
                                        ImageGateException.integrity(
                                                "import.legacy-no-config",
                                                "the target''s {0} has no config; it is not cosign''s, and is left alone",
                                                tag));
        ObjectNode config;
        try {
            JsonNode read = Json.MAPPER.readTree(target.fetchBlob(oldConfig, MAX_CONFIG_BYTES));
            if (read == null || !read.isObject()) {
                throw new IOException("not an object");
            }
            config = (ObjectNode) read;
        } catch (IOException e) {
            throw ImageGateException.integrity(
                    "import.legacy-config",
                    "the config of the target''s {0} is not a JSON object; it is not"
                            + " cosign''s, and is left alone",
                    tag);
        }
        if (config.path("rootfs").isObject()) {
            ArrayNode diffIds = ((ObjectNode) config.path("rootfs")).putArray("diff_ids");
            have.forEach(d -> diffIds.add(d.toString()));
        }
        byte[] configBytes;
        try {
            configBytes = Json.MAPPER.writeValueAsBytes(config);
        } catch (IOException e) {
            throw ImageGateException.internal(
                    "import.legacy-config-write", "could not write the merged config of {0}", tag);
        }
        ObjectNode manifest = ((ObjectNode) ours.json()).deepCopy();
        ObjectNode configDescriptor = ((ObjectNode) manifest.path("config"));
        Digest configDigest = Digest.sha256(configBytes);
        configDescriptor.put("digest", configDigest.toString());
        configDescriptor.put("size", configBytes.length);
        ArrayNode layers =
                manifest.path("layers").isArray()
                        ? (ArrayNode) manifest.path("layers")
                        : manifest.putArray("layers");
        added.forEach(layers::add);
        return Optional.of(
                new Merged(
                        Manifest.create(
                                manifest,
                                target.registry() + "/" + target.repository() + ":" + tag),
                        new Descriptor(oldConfig.mediaType(), configDigest, configBytes.length),
                        configBytes));
    }
}
