package io.imagegate.oci;

import io.imagegate.message.ImageGateException;
import io.imagegate.reference.Digest;
import io.imagegate.reference.InvalidReferenceException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Build attestations in an index, told apart from the images a platform selects: the one place that
 * decides it, for the scan, the import's platform subset, the rewriter's platform pin and the
 * gate's.
 *
 * <p>BuildKit writes, after the images of an index, one attestation manifest per image (its {@code
 * exporter/containerimage/writer.go}): under the platform {@code unknown/unknown}, annotated {@code
 * vnd.docker.reference.type: attestation-manifest} and {@code vnd.docker.reference.digest: <the
 * image's digest>}, its layers in-toto statements ({@code application/vnd.in-toto+json}).
 * containerd and BuildKit choose an entry by its platform alone, the first match in index order
 * (containerd's {@code images.Manifest} and {@code LimitManifests}: a stable sort by the platform
 * matcher; BuildKit's {@code imageutil.Config} and puller use those), and never read that
 * annotation. So the annotation is a claim, not a proof: an entry is an attestation only when
 * BuildKit's whole layout holds, and an entry that claims to be one under a platform containerd
 * selects is an image in disguise, refused.
 */
public final class Attestations {
    public static final String REFERENCE_TYPE = "vnd.docker.reference.type";
    public static final String REFERENCE_DIGEST = "vnd.docker.reference.digest";
    public static final String ATTESTATION_MANIFEST = "attestation-manifest";
    public static final String IN_TOTO = "application/vnd.in-toto+json";

    /** The platform buildx gives attestations: no platform selects it. */
    public static final Platform UNKNOWN = Platform.of("unknown", "unknown");

    /** An index with more entries to prove than this is refused: each proof reads a manifest. */
    public static final int MAX_PROOFS = 256;

    private Attestations() {}

    /** Whether the entry is annotated as an attestation; a claim only. */
    public static boolean claimed(Descriptor entry) {
        return ATTESTATION_MANIFEST.equals(entry.annotations().get(REFERENCE_TYPE));
    }

    /**
     * Refuses an index in which an entry annotated as an attestation names a platform other than
     * {@code unknown/unknown}: containerd would select it as an image of that platform, whatever
     * the annotation says.
     */
    public static void refuseDisguised(Manifest index, Object where) {
        for (Descriptor entry : index.manifests()) {
            if (claimed(entry)
                    && entry.platform().isPresent()
                    && !entry.platform().get().equals(UNKNOWN)) {
                throw ImageGateException.integrity(
                        "attestation.disguised",
                        "the index {0} of {1} lists {2} as an attestation ({3}: {4})"
                                + " under the platform {5}, which containerd and BuildKit select as an image: they choose by platform, never by"
                                + " that annotation (buildx writes attestations as unknown/unknown); refused",
                        index.digest(),
                        where,
                        entry.digest(),
                        REFERENCE_TYPE,
                        ATTESTATION_MANIFEST,
                        entry.platform().get());
            }
        }
    }

    /**
     * Whether {@code entry} of {@code index} is provably an attestation, {@code manifest} being its
     * manifest as read: it is annotated as one, under exactly {@code unknown/unknown}, names
     * another entry of the index in {@code vnd.docker.reference.digest}, and is an image manifest
     * whose layers (one at least) are all in-toto.
     */
    public static boolean proven(Manifest index, Descriptor entry, Manifest manifest) {
        if (!manifest.digest().equals(entry.digest())) {
            throw new IllegalArgumentException(
                    "the manifest " + manifest.digest() + " is not the entry's " + entry.digest());
        }
        return claimsHold(digests(index.manifests()), entry) && inToto(manifest);
    }

    /**
     * The entries of {@code index} that {@code among} accepts and that a platform can select (every
     * entry but the proven attestations), in index order; an index with a disguised attestation is
     * refused. Reads, with {@code read}, only the manifests of accepted entries whose descriptor
     * holds an attestation's claims, each once, and keeps none of them.
     */
    public static List<Descriptor> selectable(
            Manifest index,
            Predicate<Descriptor> among,
            Function<Digest, Manifest> read,
            Object where) {
        refuseDisguised(index, where);
        List<Descriptor> entries = index.manifests();
        Set<Digest> listed = digests(entries);
        Map<Digest, Boolean> proofs = new HashMap<>();
        List<Descriptor> out = new ArrayList<>();
        for (Descriptor entry : entries) {
            if (!among.test(entry)) {
                continue;
            }
            if (claimsHold(listed, entry)) {
                if (!proofs.containsKey(entry.digest()) && proofs.size() >= MAX_PROOFS) {
                    throw ImageGateException.integrity(
                            "attestation.too-many",
                            "the index {0} of {1} lists more than {2} attestations;" + " refused",
                            index.digest(),
                            where,
                            MAX_PROOFS);
                }
                boolean inToto =
                        proofs.computeIfAbsent(
                                entry.digest(),
                                d -> {
                                    Manifest manifest = read.apply(d);
                                    if (!manifest.digest().equals(d)) {
                                        throw new IllegalArgumentException(
                                                "read " + manifest.digest() + " for " + d);
                                    }
                                    return inToto(manifest);
                                });
                if (inToto) {
                    continue;
                }
            }
            out.add(entry);
        }
        return out;
    }

    /**
     * What the manifest must be: an image manifest whose layers, one at least, are all in-toto
     * statements.
     */
    private static boolean inToto(Manifest manifest) {
        List<Descriptor> layers = manifest.layers();
        return !manifest.isIndex()
                && !layers.isEmpty()
                && layers.stream().allMatch(layer -> IN_TOTO.equals(layer.mediaType()));
    }

    /**
     * What the descriptor alone can show: the annotations, the platform {@code unknown/unknown}, a
     * sibling named.
     */
    private static boolean claimsHold(Set<Digest> listed, Descriptor entry) {
        if (!claimed(entry) || !entry.platform().map(UNKNOWN::equals).orElse(false)) {
            return false;
        }
        Optional<Digest> subject = digest(entry.annotations().get(REFERENCE_DIGEST));
        return subject.isPresent()
                && !subject.get().equals(entry.digest())
                && listed.contains(subject.get());
    }

    private static Set<Digest> digests(List<Descriptor> entries) {
        Set<Digest> out = new HashSet<>();
        entries.forEach(e -> out.add(e.digest()));
        return out;
    }

    private static Optional<Digest> digest(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Digest.parse(text));
        } catch (InvalidReferenceException e) {
            return Optional.empty();
        }
    }
}
