package io.imagegate.vetting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.Json;
import io.imagegate.api.ErrorKind;
import io.imagegate.api.ImageGateException;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.reference.Digest;
import io.imagegate.registry.RemoteRepository;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * OCI 1.1 referrers: artifacts that refer to a manifest through their {@code subject}. Pushed as manifests by digest;
 * a registry with the referrers API says so with {@code OCI-Subject} and indexes them itself; for one without it
 * (the Debian distribution registry, among others) the index lives under the referrers tag schema,
 * {@code sha256-<hex>}, in the same repository, as the OCI distribution spec describes. Listing reads both.
 */
public final class Referrers {
    private Referrers() {
    }

    /** The referrers tag of a subject digest: {@code sha256-<hex>}. */
    public static String tagOf(Digest subject) {
        return subject.algorithm() + "-" + subject.hex();
    }

    /**
     * Pushes a referrer manifest (its blobs must be there) and makes sure it can be found: when the registry did
     * not index it itself, the referrers tag's index gets its descriptor.
     */
    public static void push(RemoteRepository repository, Manifest referrer) {
        Digest subject = referrer.subject().orElseThrow().digest();
        Optional<String> indexed = repository.putManifest(referrer.digest().toString(), referrer);
        if (indexed.isPresent() && indexed.get().equals(subject.toString())) {
            return; // the registry serves the referrers API and indexed it
        }
        String tag = tagOf(subject);
        // Read, add, write, read back: two writers racing on the same tag can lose an entry, so check and try again.
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<Manifest> current = repository.findManifest(tag);
            List<JsonNode> entries = new ArrayList<>();
            if (current.isPresent() && current.get().isIndex()) {
                for (JsonNode node : current.get().json().path("manifests")) {
                    entries.add(node);
                }
            }
            if (entries.stream().anyMatch(e -> e.path("digest").asText().equals(referrer.digest().toString()))) {
                return;
            }
            ObjectNode index = Json.MAPPER.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", MediaTypes.OCI_INDEX);
            ArrayNode manifests = index.putArray("manifests");
            entries.forEach(manifests::add);
            manifests.add(descriptorOf(referrer));
            repository.putManifest(tag, Manifest.create(index, repository.registry() + "/" + repository.repository() + ":" + tag));
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(5, 50) * (attempt + 1L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ImageGateException.of(ErrorKind.INTERRUPTED, "referrers.interrupted", "interrupted while recording a referrer");
            }
        }
        if (repository.findManifest(tag).map(m -> m.manifests().stream().noneMatch(d -> d.digest().equals(referrer.digest())))
                .orElse(true)) {
            throw ImageGateException.of(ErrorKind.TRANSIENT, "referrers.race", "could not record {0} in the referrers index {1} of {2}/{3}:"
                    + " other writers kept replacing it; try again", referrer.digest(), tag, repository.registry(), repository.repository());
        }
    }

    /** The descriptor a referrers index lists for a referrer: with its artifactType and annotations. */
    static ObjectNode descriptorOf(Manifest referrer) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("mediaType", referrer.mediaType());
        d.put("digest", referrer.digest().toString());
        d.put("size", referrer.size());
        referrer.artifactType().ifPresent(t -> d.put("artifactType", t));
        if (!referrer.annotations().isEmpty()) {
            ObjectNode a = d.putObject("annotations");
            referrer.annotations().forEach(a::put);
        }
        return d;
    }

    /**
     * The referrers of {@code subject} of {@code artifactType}: from the referrers tag and, when that finds none,
     * from the referrers API. Each digest once.
     */
    public static List<Descriptor> list(RemoteRepository repository, Digest subject, String artifactType) {
        Map<Digest, Descriptor> out = new LinkedHashMap<>();
        repository.findManifest(tagOf(subject)).filter(Manifest::isIndex)
                .ifPresent(index -> index.manifests().forEach(d -> out.putIfAbsent(d.digest(), d)));
        if (out.isEmpty()) {
            repository.referrers(subject, Optional.of(artifactType))
                    .ifPresent(index -> index.manifests().forEach(d -> out.putIfAbsent(d.digest(), d)));
        }
        return out.values().stream().filter(d -> d.artifactType().map(artifactType::equals).orElse(false)).toList();
    }
}
