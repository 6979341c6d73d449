package io.imagegate.referrers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.Json;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.reference.Digest;
import io.imagegate.registry.RegistryException;
import io.imagegate.registry.RemoteRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * OCI 1.1 referrers: artifacts that refer to a manifest through their {@code subject}. Pushed as
 * manifests by digest; a registry with the referrers API says so with {@code OCI-Subject} and
 * indexes them itself; for one without it (the Debian distribution registry, among others) the
 * index lives under the referrers tag schema, {@code sha256-<hex>}, in the same repository, as the
 * OCI distribution spec describes. Listing reads both.
 */
public final class Referrers {
    private Referrers() {}

    /** The referrers tag of a subject digest: {@code sha256-<hex>}. */
    public static String tagOf(Digest subject) {
        return subject.algorithm() + "-" + subject.hex();
    }

    /**
     * How long a write to the referrers tag is left to settle before it is read back once more
     * (other writers).
     */
    private static final long SETTLE_MILLIS = 300;

    /**
     * Whether a referrer that left the tag's index did so because a referrer listed now supersedes
     * it (another writer replaced it on purpose, which is not a lost write).
     */
    @FunctionalInterface
    public interface Superseded {
        /** Nothing supersedes: every referrer that went missing is added again. */
        Superseded NEVER = (repository, listed, referrer, subject) -> false;

        boolean by(
                RemoteRepository repository, Set<Digest> listed, Manifest referrer, Digest subject);
    }

    /**
     * Pushes a referrer manifest (its blobs must be there) and makes sure it can be found: when the
     * registry did not index it itself, the referrers tag's index gets its descriptor. The
     * referrers this one {@code replaces} (earlier verdicts it supersedes) leave the index, which
     * so stays bounded; entries whose manifest is gone (deleted, garbage collected) are pruned when
     * the registry refuses an index that lists them.
     */
    public static void push(
            RemoteRepository repository,
            Manifest referrer,
            Set<Digest> replaces,
            Superseded superseded) {
        push(repository, List.of(referrer), replaces, superseded);
    }

    /**
     * Pushes referrers of one subject (their blobs must be there) and merges them into its
     * referrers, as {@link #push(RemoteRepository, Manifest, Set, Superseded)} does for one: the
     * tag's index is then written once for all.
     *
     * <p>The tag schema has no conditional write: cosign, Notation and other imagegate runs read,
     * modify and write the same index. So the write is read back, and read back once more after a
     * short wait, and whatever went missing meanwhile (one of these referrers, or another writer's
     * entry seen on the way) is added again.
     */
    public static void push(
            RemoteRepository repository,
            List<Manifest> referrers,
            Set<Digest> replaces,
            Superseded superseded) {
        if (referrers.isEmpty()) {
            return;
        }
        Digest subject = referrers.get(0).subject().orElseThrow().digest();
        Map<Digest, Manifest> pending = new LinkedHashMap<>();
        for (Manifest referrer : referrers) {
            if (!referrer.subject().map(s -> s.digest().equals(subject)).orElse(false)) {
                throw ImageGateException.internal(
                        "referrers.subjects", "referrers of different subjects pushed together");
            }
            Optional<String> indexed =
                    repository.putManifest(referrer.digest().toString(), referrer);
            if (indexed.isEmpty() || !indexed.get().equals(subject.toString())) {
                pending.put(referrer.digest(), referrer);
            }
        }
        if (pending.isEmpty()) {
            // The registry serves the referrers API and indexed them; what they supersede goes,
            // where the registry allows deletes.
            for (Digest old : replaces) {
                try {
                    repository.deleteManifest(old.toString());
                } catch (ImageGateException e) {
                    // best effort: a registry that refuses deletes keeps them, and readers rank
                    // them as superseded
                }
            }
            return;
        }
        String tag = tagOf(subject);
        Map<Digest, JsonNode> seen = new LinkedHashMap<>();
        boolean settled = false;
        for (int attempt = 0; attempt < 8; attempt++) {
            Optional<Manifest> current = repository.findManifest(tag);
            Map<Digest, JsonNode> entries = new LinkedHashMap<>();
            if (current.isPresent() && current.get().isIndex()) {
                for (JsonNode node : current.get().json().path("manifests")) {
                    entryDigest(node).ifPresent(d -> entries.putIfAbsent(d, node));
                }
            }
            // Other tools' entries seen on the way are kept; imagegate verdicts are their own
            // writers' business (a vet
            // may have superseded and removed an older one), and re-adding those would fight that
            // writer.
            entries.forEach(
                    (d, node) -> {
                        if (!MediaTypes.IMAGEGATE_VERDICT.equals(
                                node.path("artifactType").asText())) {
                            seen.putIfAbsent(d, node);
                        }
                    });
            if (attempt > 0) {
                // another writer read one of these and replaced it with its own on purpose
                pending.values()
                        .removeIf(
                                r ->
                                        !entries.containsKey(r.digest())
                                                && superseded.by(
                                                        repository, entries.keySet(), r, subject));
                if (pending.isEmpty()) {
                    return;
                }
            }
            boolean complete =
                    entries.keySet().containsAll(pending.keySet())
                            && seen.keySet().stream()
                                    .allMatch(d -> entries.containsKey(d) || replaces.contains(d))
                            && entries.keySet().stream().noneMatch(replaces::contains);
            if (complete) {
                if (settled) {
                    return;
                }
                settled = true;
                sleep(SETTLE_MILLIS);
                continue;
            }
            settled = false;
            Map<Digest, JsonNode> wanted = new LinkedHashMap<>(entries);
            seen.forEach(wanted::putIfAbsent);
            replaces.forEach(wanted::remove);
            for (Manifest referrer : pending.values()) {
                wanted.remove(referrer.digest());
                wanted.put(referrer.digest(), descriptorOf(referrer));
            }
            writeIndex(repository, tag, wanted);
            sleep(ThreadLocalRandom.current().nextInt(5, 50) * (attempt + 1L));
        }
        throw ImageGateException.of(
                ErrorKind.TRANSIENT,
                "referrers.race",
                "could not record {0} in the referrers index {1} of {2}/{3}:"
                        + " other writers kept replacing it; try again",
                pending.keySet().iterator().next(),
                tag,
                repository.registry(),
                repository.repository());
    }

    /**
     * Writes the referrers index; an index the registry refuses for entries whose manifests are
     * gone is written without them.
     */
    private static void writeIndex(
            RemoteRepository repository, String tag, Map<Digest, JsonNode> entries) {
        try {
            repository.putManifest(tag, index(repository, tag, entries.values()));
        } catch (RegistryException e) {
            if (e.status() != 400) {
                throw e;
            }
            List<JsonNode> present = new ArrayList<>();
            for (Map.Entry<Digest, JsonNode> entry : entries.entrySet()) {
                if (repository.headManifest(entry.getKey().toString()).isPresent()) {
                    present.add(entry.getValue());
                }
            }
            if (present.size() == entries.size()) {
                throw e;
            }
            repository.putManifest(tag, index(repository, tag, present));
        }
    }

    private static Manifest index(
            RemoteRepository repository, String tag, java.util.Collection<JsonNode> entries) {
        ObjectNode index = Json.MAPPER.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        entries.forEach(manifests::add);
        return Manifest.create(
                index, repository.registry() + "/" + repository.repository() + ":" + tag);
    }

    private static Optional<Digest> entryDigest(JsonNode node) {
        try {
            return Optional.of(Digest.parse(node.path("digest").asText()));
        } catch (RuntimeException e) {
            return Optional
                    .empty(); // an entry without a valid digest is nobody's referrer; it is dropped
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ImageGateException.of(
                    ErrorKind.INTERRUPTED,
                    "referrers.interrupted",
                    "interrupted while recording a referrer");
        }
    }

    /**
     * The descriptor a referrers index lists for a referrer: with its artifactType and annotations.
     */
    public static ObjectNode descriptorOf(Manifest referrer) {
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
     * Every referrer of {@code subject}: the referrers tag's index and the referrers API together
     * (a registry that gained the API keeps its older tag; neither hides the other), each digest
     * once, the tag's entry first. Entries are claims only: readers check the manifests they point
     * at.
     */
    public static List<Descriptor> list(RemoteRepository repository, Digest subject) {
        Map<Digest, Descriptor> out = new LinkedHashMap<>();
        repository
                .findManifest(tagOf(subject))
                .filter(Manifest::isIndex)
                .ifPresent(index -> index.manifests().forEach(d -> out.putIfAbsent(d.digest(), d)));
        repository
                .referrers(subject)
                .ifPresent(listed -> listed.forEach(d -> out.putIfAbsent(d.digest(), d)));
        return List.copyOf(out.values());
    }

    /**
     * As {@link #list(RemoteRepository, Digest)}, for a registry whose manifest GETs are rationed
     * (Docker Hub counts them against its pull limit, HEADs not): the referrers tag is asked for
     * with a HEAD, and read only when it is there. Most images have no such tag, and then the
     * listing costs no pull.
     */
    public static List<Descriptor> listSparingPulls(RemoteRepository repository, Digest subject) {
        return listSparingPulls(repository, subject, Optional.empty());
    }

    /**
     * As {@link #listSparingPulls(RemoteRepository, Digest)}, knowing from a tag listing which tags
     * exist (empty when the listing could not tell): then the referrers tag is read only when it is
     * listed, without a HEAD first.
     */
    public static List<Descriptor> listSparingPulls(
            RemoteRepository repository, Digest subject, Optional<java.util.Set<String>> tags) {
        Map<Digest, Descriptor> out = new LinkedHashMap<>();
        if (tags.map(t -> t.contains(tagOf(subject)))
                .orElseGet(() -> repository.headManifest(tagOf(subject)).isPresent())) {
            repository
                    .findManifest(tagOf(subject))
                    .filter(Manifest::isIndex)
                    .ifPresent(
                            index ->
                                    index.manifests().forEach(d -> out.putIfAbsent(d.digest(), d)));
        }
        repository
                .referrers(subject)
                .ifPresent(listed -> listed.forEach(d -> out.putIfAbsent(d.digest(), d)));
        return List.copyOf(out.values());
    }
}
