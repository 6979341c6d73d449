package io.imagegate.vetting;

import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.reference.Digest;
import io.imagegate.referrers.Referrers;
import io.imagegate.registry.RemoteRepository;
import io.imagegate.trust.SigstoreBundle;
import io.imagegate.trust.VerdictAttestation;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sync's one-request look at whether an unchanged image needs any work: the referrers listing of
 * the digest its trusted tag holds, read by the one route its registry answers (learnt from the
 * first image of each registry), judged by the entries' annotations alone.
 *
 * <p>This decides only that a sync may leave an image alone, never that an image is vetted: every
 * gate reads and checks the verdicts themselves ({@link VerdictLookup}). So the probe says "fresh"
 * only when the listing plainly shows, under the policy that counts, a PASS young enough, no FAIL,
 * no allowlist entry expired, and (when verdicts must be signed) a verdict attestation made with
 * it; anything else, and every error, sends the image to the full lookup, which rescans or vets it.
 * A listing that lies can so only keep a sync from redoing work that gates then refuse.
 */
public final class VerdictProbe {
    /** The annotation of a PASS naming the earliest expiry of the allowlist entries it rests on. */
    public static final String ANNOTATION_ALLOWLIST_EXPIRES = "io.imagegate.allowlist.expires";

    /** {@link #ANNOTATION_ALLOWLIST_EXPIRES} of a PASS that rests on no allowlist entry. */
    public static final String NO_ALLOWLIST = "none";

    /** Per registry: whether it answers the referrers API (else the referrers tag holds them). */
    private final Map<String, Boolean> servesApi = new ConcurrentHashMap<>();

    /**
     * The date of the PASS that makes {@code subject} fresh under {@code policyDigest}: made within
     * {@code within} (empty: at any age) and not ahead of {@code now}; empty when the listing does
     * not plainly show one.
     */
    public Optional<Instant> freshPass(
            RemoteRepository trusted,
            Digest subject,
            String policyDigest,
            Optional<Duration> within,
            boolean signed,
            Instant now) {
        if (signed || within.map(Duration::isZero).orElse(false)) {
            // A listing's entries are the annotations anyone who can push writes: a claimed
            // signature there is no signature. Checking one takes reading the verdict, its
            // document and its bundle, which is what the full lookup does.
            return Optional.empty();
        }
        List<Descriptor> listed;
        try {
            listed = listing(trusted, subject);
        } catch (RuntimeException e) {
            return Optional.empty(); // the full lookup meets it again, and reports it
        }
        Optional<Descriptor> newest = Optional.empty();
        Instant newestAt = Instant.MIN;
        for (Descriptor d : listed) {
            if (!VerdictDocument.MEDIA_TYPE.equals(d.artifactType().orElse(""))
                    || !policyDigest.equals(
                            d.annotations().get(VerdictArtifact.ANNOTATION_POLICY))) {
                continue;
            }
            if (!"PASS".equals(d.annotations().get(VerdictArtifact.ANNOTATION_VERDICT))) {
                return Optional.empty();
            }
            Optional<Instant> created = instant(d.annotations());
            if (created.isEmpty()) {
                return Optional.empty();
            }
            if (created.get().isAfter(newestAt)) {
                newestAt = created.get();
                newest = Optional.of(d);
            }
        }
        if (newest.isEmpty()
                || newestAt.isAfter(now.plus(VerdictLookup.CLOCK_SKEW))
                || !allowlistLive(newest.get(), now)) {
            return Optional.empty();
        }
        if (within.isPresent() && Duration.between(newestAt, now).compareTo(within.get()) > 0) {
            return Optional.empty();
        }
        Instant at = newestAt;
        if (signed && listed.stream().noneMatch(d -> attestsAt(d, at))) {
            return Optional.empty();
        }
        return Optional.of(at);
    }

    private static Optional<Instant> instant(Map<String, String> annotations) {
        try {
            return Optional.ofNullable(annotations.get(VerdictArtifact.ANNOTATION_CREATED))
                    .map(Instant::parse);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean allowlistLive(Descriptor pass, Instant now) {
        String expires = pass.annotations().get(ANNOTATION_ALLOWLIST_EXPIRES);
        if (NO_ALLOWLIST.equals(expires)) {
            return true;
        }
        try {
            // verdicts made before the annotation existed carry none: the full lookup reads them
            return expires != null
                    && !LocalDate.parse(expires)
                            .isBefore(now.atOffset(ZoneOffset.UTC).toLocalDate());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A verdict attestation made with the verdict dated {@code created} (to the second). */
    private static boolean attestsAt(Descriptor d, Instant created) {
        return SigstoreBundle.MEDIA_TYPE.equals(d.artifactType().orElse(""))
                && VerdictAttestation.PREDICATE_TYPE.equals(
                        d.annotations().get(AttestationReferrer.ANNOTATION_PREDICATE_TYPE))
                && instant(d.annotations())
                        .map(t -> t.equals(created.truncatedTo(ChronoUnit.SECONDS)))
                        .orElse(false);
    }

    /**
     * The referrers of {@code subject} by one request: the referrers tag, where imagegate writes
     * them on a registry that does not index referrers itself; when there is none, the referrers
     * API, and once a registry answered that, only the API from then on.
     */
    private List<Descriptor> listing(RemoteRepository repository, Digest subject) {
        Boolean api = servesApi.get(repository.registry());
        if (Boolean.TRUE.equals(api)) {
            return repository.referrers(subject).orElse(List.of());
        }
        Optional<Manifest> tag =
                repository.findManifest(Referrers.tagOf(subject)).filter(Manifest::isIndex);
        if (tag.isPresent()) {
            return tag.get().manifests();
        }
        if (Boolean.FALSE.equals(api)) {
            return List.of();
        }
        Optional<List<Descriptor>> listed = repository.referrers(subject);
        servesApi.putIfAbsent(repository.registry(), listed.isPresent());
        return listed.orElse(List.of());
    }
}
