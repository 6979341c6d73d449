package io.imagegate.copy;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.referrers.Referrers;
import io.imagegate.registry.RemoteRepository;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Carries the referrers of an image's manifests (signatures, attestations, SBOMs) and cosign's
 * legacy {@code sha256-<hex>.sig|.att|.sbom} tags from the source repository into the target,
 * merged into what the target has: a referrer the target lists already is not read again, one it
 * lacks is read (verified by digest), judged ({@link ReferrerKind}), its blobs copied verified, and
 * added to the target's referrers through whatever the target offers (the referrers API, else the
 * tag schema's index, merged with other writers). A legacy tag the target holds with other
 * signatures gets the union of both.
 *
 * <p>Only what is missing costs more than the listings: per subject, the source's referrers (tag
 * index and API) and its legacy tags; the target's listing only when the source lists any, its
 * legacy tag only when the source has that tag.
 */
final class ReferrerCopier {
    /**
     * Referrers and legacy tags newly copied by one import at the most; a source with more is
     * refused, never cut short.
     */
    static final int MAX_COPIED = 256;

    /**
     * Referrers the target lacks read (and judged) by one import at the most: what a mode leaves
     * out is read too.
     */
    static final int MAX_READ = 1024;

    /**
     * Bytes of their blobs at the most (SBOMs and attestations can be large, signatures are small).
     */
    static final long MAX_BYTES = 512L * 1024 * 1024;

    /** Manifests an index referrer lists at the most. */
    private static final int MAX_INDEX_CHILDREN = 64;

    /** What the importer lends: its pool and deadline, and its verified blob copy. */
    interface Work {
        <T> List<T> all(List<Callable<T>> tasks);

        void copyBlobs(Collection<Descriptor> blobs);
    }

    /** What was carried: referrers, and legacy tags written. */
    record Carried(int referrers, int legacyTags) {
        static final Carried NONE = new Carried(0, 0);

        int total() {
            return referrers + legacyTags;
        }
    }

    private final RemoteRepository from;
    private final RemoteRepository to;
    private final ReferrerMode mode;
    private final ImageReference target;
    private final ImportListener listener;

    ReferrerCopier(
            RemoteRepository from,
            RemoteRepository to,
            ReferrerMode mode,
            ImageReference target,
            ImportListener listener) {
        this.from = from;
        this.to = to;
        this.mode = mode;
        this.target = target;
        this.listener = listener;
    }

    /** What one subject has in the source that the target lacks. */
    private record Scan(Digest subject, List<Descriptor> missing, Map<String, Descriptor> legacy) {}

    /** A referrer to copy: its manifest and, for an index, the manifests it lists. */
    private record Copy(Digest subject, Manifest manifest, List<Manifest> children) {}

    /**
     * A legacy tag to write: the source's manifest, or the union of the target's and the source's
     * signatures.
     */
    private record Legacy(
            String tag, Manifest manifest, List<Descriptor> blobs, Optional<Config> config) {}

    private record Config(Descriptor descriptor, byte[] bytes) {}

    Carried copy(List<Digest> subjects, Work work) {
        if (mode == ReferrerMode.NONE || subjects.isEmpty()) {
            return Carried.NONE;
        }
        List<Callable<Scan>> scans =
                subjects.stream().distinct().<Callable<Scan>>map(s -> () -> scan(s)).toList();
        List<Scan> found = work.all(scans);

        List<Copy> copies = new ArrayList<>();
        List<Legacy> legacies = new ArrayList<>();
        Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
        int candidates = 0;
        for (Scan scan : found) {
            candidates += scan.missing().size() + scan.legacy().size();
            if (candidates > MAX_READ) {
                throw tooMany(MAX_READ + " referrers");
            }
            for (Descriptor listed : scan.missing()) {
                read(scan.subject(), listed)
                        .ifPresent(
                                copy -> {
                                    copies.add(copy);
                                    copy.manifest()
                                            .blobs()
                                            .forEach(b -> blobs.putIfAbsent(b.digest(), b));
                                    copy.children()
                                            .forEach(
                                                    c ->
                                                            c.blobs()
                                                                    .forEach(
                                                                            b ->
                                                                                    blobs
                                                                                            .putIfAbsent(
                                                                                                    b
                                                                                                            .digest(),
                                                                                                    b)));
                                });
            }
            scan.legacy()
                    .forEach(
                            (tag, descriptor) ->
                                    legacy(tag, descriptor)
                                            .ifPresent(
                                                    l -> {
                                                        legacies.add(l);
                                                        l.blobs()
                                                                .forEach(
                                                                        b ->
                                                                                blobs.putIfAbsent(
                                                                                        b.digest(),
                                                                                        b));
                                                    }));
        }
        if (copies.isEmpty() && legacies.isEmpty()) {
            return Carried.NONE;
        }
        if (copies.size() + legacies.size() > MAX_COPIED) {
            throw tooMany(MAX_COPIED + " referrers to carry");
        }
        long bytes = blobs.values().stream().mapToLong(d -> Math.max(0, d.size())).sum();
        if (bytes > MAX_BYTES) {
            throw tooMany(io.imagegate.copy.ProgressLog.size(MAX_BYTES) + " of referrer blobs");
        }
        listener.referrersPlanned(copies.size() + legacies.size(), blobs.size(), bytes);
        work.copyBlobs(blobs.values());
        legacies.forEach(l -> l.config().ifPresent(c -> to.pushBlob(c.descriptor(), c.bytes())));

        Map<Digest, List<Manifest>> bySubject = new LinkedHashMap<>();
        for (Copy copy : copies) {
            for (Manifest child : copy.children()) {
                to.putManifest(child.digest().toString(), child);
            }
            bySubject.computeIfAbsent(copy.subject(), s -> new ArrayList<>()).add(copy.manifest());
        }
        bySubject
                .values()
                .forEach(
                        referrers -> {
                            Referrers.push(to, referrers, Set.of(), Referrers.Superseded.NEVER);
                            referrers.forEach(
                                    r ->
                                            listener.manifestPushed(
                                                    target, r.digest().toString(), r.descriptor()));
                        });
        for (Legacy l : legacies) {
            to.putManifest(l.tag(), l.manifest());
            listener.manifestPushed(target, l.tag(), l.manifest().descriptor());
        }
        return new Carried(copies.size(), legacies.size());
    }

    private ImageGateException tooMany(String what) {
        return ImageGateException.of(
                ErrorKind.INTEGRITY,
                "import.referrers-too-many",
                "the source {0}/{1} attaches more than {2} to the"
                        + " image; refused rather than carried in part. Carry fewer ({3} signatures or none)",
                from.registry(),
                from.repository(),
                what,
                Field.REFERRERS);
    }

    /**
     * The source's referrers of {@code subject} that the target does not list, and the legacy tags
     * whose digest differs from the target's (or that the target lacks).
     */
    private Scan scan(Digest subject) {
        // One tag listing tells which of the subject's tags (the referrers tag, cosign's legacy
        // ones) exist; a registry
        // whose listing cannot tell for sure is asked tag by tag.
        Optional<Set<String>> family = from.tagFamily(Referrers.tagOf(subject));
        List<Descriptor> listed =
                Referrers.listSparingPulls(from, subject, family).stream()
                        .filter(this::mayBeWanted)
                        .toList();
        Map<String, Descriptor> legacy = new LinkedHashMap<>();
        for (String suffix : mode.legacySuffixes()) {
            String tag = Referrers.tagOf(subject) + "." + suffix;
            if (family.map(f -> f.contains(tag)).orElse(true)) {
                from.headManifest(tag).ifPresent(d -> legacy.put(tag, d));
            }
        }
        List<Descriptor> missing = listed;
        if (!listed.isEmpty()) {
            Set<Digest> there =
                    Referrers.list(to, subject).stream()
                            .map(Descriptor::digest)
                            .collect(Collectors.toSet());
            missing = listed.stream().filter(d -> !there.contains(d.digest())).toList();
        }
        legacy.entrySet()
                .removeIf(
                        e ->
                                to.headManifest(e.getKey())
                                        .map(d -> d.digest().equals(e.getValue().digest()))
                                        .orElse(false));
        return new Scan(subject, missing, legacy);
    }

    /**
     * Whether a listing entry is worth reading: never a claimed imagegate verdict; for {@code
     * signatures}, never a bundle that claims another predicate type than cosign's signature (a
     * claim can only make imagegate carry less).
     */
    private boolean mayBeWanted(Descriptor listed) {
        if (ReferrerKind.claimsVerdict(listed)) {
            return false;
        }
        if (mode == ReferrerMode.SIGNATURES) {
            String predicate = listed.annotations().get(ReferrerKind.BUNDLE_PREDICATE_ANNOTATION);
            return predicate == null || predicate.equals(ReferrerKind.COSIGN_SIGN_PREDICATE);
        }
        return true;
    }

    /**
     * The referrer behind a listing entry, when it is one of {@code subject} and of a kind this
     * mode carries.
     */
    private Optional<Copy> read(Digest subject, Descriptor listed) {
        Optional<Manifest> found = from.findManifest(listed.digest().toString());
        if (found.isEmpty()
                || !found.get().subject().map(s -> s.digest().equals(subject)).orElse(false)) {
            return Optional.empty(); // gone since it was listed, or an index entry that is nobody's
            // referrer
        }
        Manifest manifest = found.get();
        ReferrerKind kind =
                ReferrerKind.of(
                        manifest, layer -> from.fetchBlob(layer, ReferrerKind.MAX_BUNDLE_BYTES));
        if (kind == ReferrerKind.VERDICT
                || (mode == ReferrerMode.SIGNATURES && kind != ReferrerKind.SIGNATURE)) {
            return Optional.empty();
        }
        List<Manifest> children = new ArrayList<>();
        if (manifest.isIndex()) {
            if (manifest.manifests().size() > MAX_INDEX_CHILDREN) {
                throw tooMany("an index referrer of " + MAX_INDEX_CHILDREN + " manifests");
            }
            for (Descriptor child : manifest.manifests()) {
                Manifest m = from.getManifest(child.digest().toString());
                if (m.isIndex()) {
                    throw ImageGateException.integrity(
                            "import.referrer-nested",
                            "the referrer {0} of {1} nests indexes; refused",
                            manifest.digest(),
                            subject);
                }
                children.add(m);
            }
        }
        return Optional.of(new Copy(subject, manifest, children));
    }

    /**
     * The legacy tag to write: the source's manifest when the target has none, else the target's
     * with the source's layers (signatures) it lacks appended, as cosign itself adds a signature;
     * empty when the target holds them all.
     */
    private Optional<Legacy> legacy(String tag, Descriptor source) {
        Manifest theirs = from.getManifest(source.digest().toString());
        if (theirs.isIndex()) {
            return Optional
                    .empty(); // cosign writes image manifests under these tags; anything else is
            // not cosign's
        }
        Optional<Manifest> ours = to.findManifest(tag);
        if (ours.isEmpty()) {
            return Optional.of(new Legacy(tag, theirs, theirs.blobs(), Optional.empty()));
        }
        if (ours.get().isIndex()) {
            return Optional.empty(); // not cosign's either: left as it is, never overwritten
        }
        return LegacyTags.merge(to, ours.get(), theirs, tag)
                .map(
                        m ->
                                new Legacy(
                                        tag,
                                        m.manifest(),
                                        theirs.layers(),
                                        Optional.of(new Config(m.config(), m.configBytes()))));
    }
}
