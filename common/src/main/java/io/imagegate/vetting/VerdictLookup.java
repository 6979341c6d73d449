package io.imagegate.vetting;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.MediaTypes;
import io.imagegate.reference.Digest;
import io.imagegate.referrers.Referrers;
import io.imagegate.registry.RemoteRepository;
import io.imagegate.trust.PublicKeys;
import io.imagegate.trust.SigstoreBundle;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Whether an image digest has a verdict that vets it. Every verdict of the digest is read back from
 * its own manifest (an index entry's annotations are never believed), in the image's repository and
 * in the quarantine repositories its verdicts name, where a vet records its FAILs first. Then,
 * among the verdicts made under the policy that counts:
 *
 * <ul>
 *   <li>a FAIL decides unless a PASS made later names it as superseded (a vet lists the verdicts it
 *       replaces); order never rests on a claimed clock, so a PASS dated ahead cannot outrank a
 *       FAIL, and a tie is a FAIL;
 *   <li>a "PASS" whose document disagrees with its annotations, lists a failing finding, or cannot
 *       be read counts as a FAIL;
 *   <li>of the PASSes left, one dated beyond a small clock skew into the future is not counted; the
 *       newest of the rest must be young enough for the policy and rest on no allowlist entry that
 *       has expired since.
 * </ul>
 *
 * Entries whose manifest is gone (deleted, garbage collected) are skipped.
 */
public final class VerdictLookup {
    /** How a lookup ended. */
    public enum Status {
        VETTED,
        NO_VERDICT,
        FAILED,
        TOO_OLD,
        OTHER_POLICY,
        ALLOWLIST_EXPIRED,
        FUTURE,
        NOT_SIGNED
    }

    /** How far ahead of this machine's clock a verdict's date may be (another machine's clock). */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /**
     * Verdicts read for one digest at the most, over every repository; more is refused, never read
     * in part.
     */
    public static final int MAX_VERDICTS = 64;

    /** Quarantine repositories the verdicts may name at the most. */
    static final int MAX_QUARANTINES = 4;

    /**
     * A verdict as read back: its manifest's claim and, for a claimed PASS, its document, or why
     * that cannot stand (then it counts as a FAIL).
     */
    public record Recorded(
            VerdictArtifact.Claim claim,
            Manifest manifest,
            Optional<VerdictDocument> document,
            Optional<String> notAPass) {
        /** A PASS whose document agrees: the only kind that can vet. */
        public boolean validPass() {
            return claim.passed() && document.isPresent() && notAPass.isEmpty();
        }
    }

    /**
     * Every verdict found for a digest, the signed verdict attestations found beside them, and what
     * was skipped on the way (dangling entries), for people.
     */
    public record Found(
            List<Recorded> verdicts,
            List<VerdictSignatures.Attestation> attestations,
            List<String> notes) {
        public Found {
            verdicts = List.copyOf(verdicts);
            attestations = List.copyOf(attestations);
            notes = List.copyOf(notes);
        }

        public Found(List<Recorded> verdicts, List<String> notes) {
            this(verdicts, List.of(), notes);
        }

        /** The verdicts made under {@code policyDigest} (all of them for any policy). */
        public List<Recorded> under(Optional<String> policyDigest) {
            return verdicts.stream()
                    .filter(
                            r ->
                                    policyDigest
                                            .map(p -> p.equals(r.claim().policyDigest()))
                                            .orElse(true))
                    .toList();
        }
    }

    /** The lookup's answer, with the verdict it rests on when there is one. */
    public record Answer(
            Status status, Optional<VerdictArtifact.Claim> verdict, Message reason, Found found) {
        public boolean vetted() {
            return status == Status.VETTED;
        }

        /**
         * The upstream source the newest verdict with a readable document records (a PASS, of any
         * policy); empty when none does.
         */
        public Optional<io.imagegate.reference.ImageReference> recordedSource() {
            return found.verdicts().stream()
                    .filter(r -> r.document().isPresent())
                    .max(
                            Comparator.comparing(
                                    (Recorded r) -> r.claim().created().orElse(Instant.MIN)))
                    .flatMap(r -> r.document().get().source());
        }
    }

    private VerdictLookup() {}

    static String human(Duration d) {
        if (d.toDays() > 0 && d.toHours() % 24 == 0) {
            return d.toDays() + "d";
        }
        return d.toHours() > 0 ? d.toHours() + "h" : d.toMinutes() + "m";
    }

    /**
     * Looks up and decides.
     *
     * @param sibling another repository of the same registry, by name (the quarantines the verdicts
     *     name)
     * @param alsoIn repositories to read besides those the verdicts name (a vet knows its
     *     quarantine)
     * @param policyDigest the policy whose verdicts count; empty for any policy
     * @param maxAge the oldest a PASS may be; empty for any age
     */
    public static Answer find(
            RemoteRepository repository,
            Function<String, RemoteRepository> sibling,
            Collection<String> alsoIn,
            Digest subject,
            Optional<String> policyDigest,
            Optional<Duration> maxAge,
            Instant now) {
        return find(repository, sibling, alsoIn, subject, policyDigest, maxAge, now, List.of());
    }

    /**
     * Looks up and decides; with {@code keys}, a PASS counts only when a verdict attestation signed
     * by one of them vouches for it ({@link VerdictSignatures}).
     */
    public static Answer find(
            RemoteRepository repository,
            Function<String, RemoteRepository> sibling,
            Collection<String> alsoIn,
            Digest subject,
            Optional<String> policyDigest,
            Optional<Duration> maxAge,
            Instant now,
            List<PublicKeys.Key> keys) {
        return decide(
                read(repository, sibling, alsoIn, subject),
                subject,
                policyDigest,
                maxAge,
                now,
                keys);
    }

    /** Every verdict of {@code subject} in {@code repository} alone. */
    public static Found read(RemoteRepository repository, Digest subject) {
        Map<Digest, Recorded> out = new LinkedHashMap<>();
        Map<Digest, VerdictSignatures.Attestation> attestations = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        readIn(repository, subject, out, attestations, notes);
        return new Found(
                new ArrayList<>(out.values()), new ArrayList<>(attestations.values()), notes);
    }

    /**
     * Every verdict of {@code subject} in {@code repository}, in {@code alsoIn}, and in the
     * quarantines those verdicts name.
     */
    public static Found read(
            RemoteRepository repository,
            Function<String, RemoteRepository> sibling,
            Collection<String> alsoIn,
            Digest subject) {
        Map<Digest, Recorded> out = new LinkedHashMap<>();
        Map<Digest, VerdictSignatures.Attestation> attestations = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        readIn(repository, subject, out, attestations, notes);
        Set<String> others = new LinkedHashSet<>(alsoIn);
        out.values()
                .forEach(
                        r -> {
                            if (!r.claim().quarantine().isEmpty()) {
                                others.add(r.claim().quarantine());
                            }
                        });
        others.remove(repository.repository());
        if (others.size() > MAX_QUARANTINES) {
            throw ImageGateException.integrity(
                    "vetting.many-quarantines",
                    "the verdicts of {0} in {1}/{2} name more than {3} quarantine"
                            + " repositories; refused",
                    subject,
                    repository.registry(),
                    repository.repository(),
                    MAX_QUARANTINES);
        }
        for (String name : others) {
            RemoteRepository other;
            try {
                other = sibling.apply(name);
            } catch (io.imagegate.reference.InvalidReferenceException e) {
                notes.add(
                        "a verdict names the quarantine \""
                                + name
                                + "\", which is no repository name; skipped");
                continue;
            }
            readIn(other, subject, out, attestations, notes);
        }
        return new Found(
                new ArrayList<>(out.values()), new ArrayList<>(attestations.values()), notes);
    }

    /**
     * Whether a listed referrer may be a verdict, to be read: listed with the verdict's type, or
     * with the type a registry reports when it names the config's media type instead
     * (go-containerregistry's registry), or with none; or a Sigstore bundle (a signed verdict among
     * cosign's attestations).
     */
    private static boolean mayBeVerdict(Descriptor d) {
        String type = d.artifactType().orElse("");
        return MediaTypes.isManifest(d.mediaType())
                && (type.isEmpty()
                        || type.equals(VerdictDocument.MEDIA_TYPE)
                        || type.equals(MediaTypes.OCI_EMPTY)
                        || type.equals(SigstoreBundle.MEDIA_TYPE));
    }

    private static void readIn(
            RemoteRepository repository,
            Digest subject,
            Map<Digest, Recorded> out,
            Map<Digest, VerdictSignatures.Attestation> attestations,
            List<String> notes) {
        String where = repository.registry() + "/" + repository.repository();
        for (Descriptor d : Referrers.list(repository, subject)) {
            if (out.containsKey(d.digest())
                    || attestations.containsKey(d.digest())
                    || !mayBeVerdict(d)) {
                continue;
            }
            if (out.size() + attestations.size() >= 2 * MAX_VERDICTS) {
                throw ImageGateException.integrity(
                        "vetting.too-many-verdicts",
                        "{0} has more than {1} verdicts for {2}; refused rather"
                                + " than judged on some of them (vetting it again supersedes the older ones)",
                        where,
                        MAX_VERDICTS,
                        subject);
            }
            Optional<Manifest> manifest = repository.findManifest(d.digest().toString());
            if (manifest.isEmpty()) {
                notes.add(
                        "the referrer "
                                + d.digest()
                                + " listed in "
                                + where
                                + " no longer exists (deleted or garbage collected);"
                                + " skipped");
                continue;
            }
            if (AttestationReferrer.isVerdictBundleOf(manifest.get(), subject)) {
                attestations.put(d.digest(), VerdictSignatures.read(repository, manifest.get()));
                continue;
            }
            if (!VerdictArtifact.isVerdictOf(manifest.get(), subject)) {
                continue; // another tool's artifact, or one that is not about this image
            }
            Manifest m = manifest.get();
            out.put(
                    d.digest(),
                    recorded(
                            m,
                            repository.repository(),
                            () -> VerdictArtifact.document(repository, m, subject)));
        }
    }

    /**
     * A verdict manifest as read back from the repository named {@code foundIn}: its claim and, for
     * a claimed PASS, its document (read by {@code document} only then) and whether the two agree.
     * A document that cannot be read (missing, not a verdict, about another image) makes the PASS a
     * FAIL; other errors are thrown.
     */
    static Recorded recorded(Manifest m, String foundIn, Supplier<VerdictDocument> document) {
        VerdictArtifact.Claim claim = VerdictArtifact.claim(m, foundIn);
        if (!claim.passed()) {
            return new Recorded(claim, m, Optional.empty(), Optional.empty());
        }
        VerdictDocument doc;
        try {
            doc = document.get();
        } catch (ImageGateException e) {
            if (e.kind() != ErrorKind.INTEGRITY && e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            return new Recorded(
                    claim,
                    m,
                    Optional.empty(),
                    Optional.of("its document cannot be read (" + e.message() + ")"));
        }
        return new Recorded(claim, m, Optional.of(doc), disagreement(claim, doc));
    }

    /** Why a PASS manifest and its document do not tell the same story, or empty when they do. */
    static Optional<String> disagreement(VerdictArtifact.Claim claim, VerdictDocument document) {
        Optional<String> notAPass = document.whyNotAPass();
        if (notAPass.isPresent()) {
            return notAPass;
        }
        if (!claim.policyDigest().equals(document.policyDigest())) {
            return Optional.of(
                    "its annotations name the policy "
                            + claim.policyDigest()
                            + " but its document "
                            + document.policyDigest());
        }
        if (claim.created().isEmpty() || !claim.created().equals(document.createdAt())) {
            return Optional.of(
                    "its annotations are dated "
                            + claim.date()
                            + " but its document "
                            + document.created());
        }
        if (!claim.quarantine().equals(document.quarantine())) {
            return Optional.of(
                    "its annotations name the quarantine \""
                            + claim.quarantine()
                            + "\" but its document \""
                            + document.quarantine()
                            + "\"");
        }
        return Optional.empty();
    }

    /** Decides from what was read; see the class comment. */
    public static Answer decide(
            Found found,
            Digest subject,
            Optional<String> policyDigest,
            Optional<Duration> maxAge,
            Instant now) {
        return decide(found, subject, policyDigest, maxAge, now, List.of());
    }

    /**
     * Decides from what was read. With {@code keys}, a PASS that no attestation signed by one of
     * them vouches for (this digest, its policy, PASS, its very document) does not count: it
     * neither vets nor supersedes; when no PASS is left that counts, the answer is {@link
     * Status#NOT_SIGNED} with the reason of the newest one. FAILs count signed or not.
     */
    public static Answer decide(
            Found found,
            Digest subject,
            Optional<String> policyDigest,
            Optional<Duration> maxAge,
            Instant now,
            List<PublicKeys.Key> keys) {
        if (found.verdicts().isEmpty()) {
            return new Answer(
                    Status.NO_VERDICT,
                    Optional.empty(),
                    Message.of("vetting.no-verdict", "no verdict is recorded for {0}", subject),
                    found);
        }
        List<Recorded> matching = found.under(policyDigest);
        if (matching.isEmpty()) {
            VerdictArtifact.Claim any = newest(found.verdicts()).claim();
            return new Answer(
                    Status.OTHER_POLICY,
                    Optional.of(any),
                    Message.of(
                            "vetting.other-policy",
                            "its verdicts were made under another policy ({0}), not under {1}",
                            any.policyDigest(),
                            policyDigest.orElse("")),
                    found);
        }
        if (keys.isEmpty()) {
            return decideCounted(found, matching, maxAge, now);
        }
        Map<Recorded, Message> untrusted = new LinkedHashMap<>();
        for (Recorded r : matching) {
            if (r.validPass()) {
                VerdictSignatures.whyNotVouched(
                                r, found.attestations(), keys, subject, policyDigest)
                        .ifPresent(m -> untrusted.put(r, m));
            }
        }
        if (untrusted.isEmpty()) {
            return decideCounted(found, matching, maxAge, now);
        }
        Recorded newestUntrusted = newest(new ArrayList<>(untrusted.keySet()));
        Answer notSigned =
                new Answer(
                        Status.NOT_SIGNED,
                        Optional.of(newestUntrusted.claim()),
                        untrusted.get(newestUntrusted),
                        found);
        List<Recorded> counted = matching.stream().filter(r -> !untrusted.containsKey(r)).toList();
        if (counted.isEmpty()) {
            return notSigned;
        }
        Answer answer = decideCounted(found, counted, maxAge, now);
        // A FAIL that stands only because the PASS superseding it does not count: the missing
        // signature is the reason.
        boolean failKeptByUnsigned =
                answer.status() == Status.FAILED
                        && answer.verdict().isPresent()
                        && untrusted.keySet().stream()
                                .anyMatch(
                                        r ->
                                                r.document()
                                                        .orElseThrow()
                                                        .supersedes()
                                                        .contains(
                                                                answer.verdict().get().artifact()));
        return failKeptByUnsigned ? notSigned : answer;
    }

    /** Decides among the verdicts that count, all made under the policy that counts. */
    private static Answer decideCounted(
            Found found, List<Recorded> matching, Optional<Duration> maxAge, Instant now) {
        Set<Digest> superseded = new LinkedHashSet<>();
        // Only a PASS that counts supersedes: one dated beyond the clock skew does not, not even
        // the FAILs it names.
        matching.stream()
                .filter(Recorded::validPass)
                .filter(r -> !r.claim().created().orElseThrow().isAfter(now.plus(CLOCK_SKEW)))
                .forEach(r -> superseded.addAll(r.document().orElseThrow().supersedes()));
        List<Recorded> standing =
                matching.stream().filter(r -> !superseded.contains(r.claim().artifact())).toList();
        List<Recorded> failing = standing.stream().filter(r -> !r.validPass()).toList();
        if (!failing.isEmpty()) {
            Recorded fail = newest(failing);
            Message reason =
                    fail.claim().passed()
                            ? Message.of(
                                    "vetting.not-a-pass",
                                    "its verdict {0} ({1}) claims PASS but cannot stand: {2}; it counts as a FAIL",
                                    fail.claim().artifact().shortForm(),
                                    fail.claim().date(),
                                    fail.notAPass().orElse(""))
                            : Message.of(
                                    "vetting.failed",
                                    "its verdict {0} ({1}) is a FAIL that no later PASS supersedes{2}",
                                    fail.claim().artifact().shortForm(),
                                    fail.claim().date(),
                                    failingFindings(fail));
            return new Answer(Status.FAILED, Optional.of(fail.claim()), reason, found);
        }
        List<Recorded> passes =
                standing.stream()
                        .filter(
                                r ->
                                        !r.claim()
                                                .created()
                                                .orElseThrow()
                                                .isAfter(now.plus(CLOCK_SKEW)))
                        .toList();
        if (passes.isEmpty()) {
            if (standing.isEmpty()) {
                // only possible when PASSes supersede one another in a circle: nothing stands
                return new Answer(
                        Status.FAILED,
                        Optional.empty(),
                        Message.of(
                                "vetting.none-standing",
                                "every verdict of it is superseded by another; none stands"),
                        found);
            }
            Recorded future = newest(standing);
            return new Answer(
                    Status.FUTURE,
                    Optional.of(future.claim()),
                    Message.of(
                            "vetting.future",
                            "its PASS verdict {0} is dated {1}, ahead of this machine''s clock by more than {2}; a verdict from the future is"
                                    + " not counted (check the clock of the machine that vetted it, and vet it again)",
                            future.claim().artifact().shortForm(),
                            future.claim().date(),
                            human(CLOCK_SKEW)),
                    found);
        }
        Recorded pass = newest(passes);
        Instant created = pass.claim().created().orElseThrow();
        if (maxAge.isPresent() && Duration.between(created, now).compareTo(maxAge.get()) > 0) {
            return new Answer(
                    Status.TOO_OLD,
                    Optional.of(pass.claim()),
                    Message.of(
                            "vetting.too-old",
                            "its PASS verdict ({0}) is older than the policy''s maximum verdict age ({1})",
                            created,
                            human(maxAge.get())),
                    found);
        }
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        for (VerdictDocument.Allowance a : pass.document().orElseThrow().allowlisted()) {
            Optional<LocalDate> expires = date(a.expires());
            if (expires.isEmpty() || expires.get().isBefore(today)) {
                return new Answer(
                        Status.ALLOWLIST_EXPIRED,
                        Optional.of(pass.claim()),
                        Message.of(
                                "vetting.allowlist-expired",
                                "its PASS verdict ({0}) rests on the allowlist entry for {1} in {2}, which expired on {3}; vet it again",
                                created,
                                a.id(),
                                a.packageName(),
                                a.expires()),
                        found);
            }
        }
        return new Answer(
                Status.VETTED,
                Optional.of(pass.claim()),
                Message.of("vetting.vetted", "vetted {0}", created.toString()),
                found);
    }

    /** The most of a FAIL's findings annotation a refusal repeats. */
    static final int NAMED_FINDINGS_CHARS = 400;

    /**
     * {@code ": failing CVE-… openssl 3.5.0-r0, …"} from a FAIL's own manifest ({@link
     * VerdictArtifact#ANNOTATION_FAILING}), or nothing: its document is never read.
     */
    private static String failingFindings(Recorded fail) {
        String named = fail.manifest().annotations().get(VerdictArtifact.ANNOTATION_FAILING);
        if (named == null || named.isBlank()) {
            return "";
        }
        String text = Message.neutralize(named.strip());
        return ": failing "
                + (text.length() > NAMED_FINDINGS_CHARS
                        ? text.substring(0, NAMED_FINDINGS_CHARS) + "…"
                        : text);
    }

    private static Optional<LocalDate> date(String text) {
        try {
            return Optional.of(LocalDate.parse(text));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The newest by its manifest's date; an undated one is oldest; equal dates go to a FAIL, then
     * to the digest.
     */
    private static Recorded newest(List<Recorded> verdicts) {
        return verdicts.stream()
                .max(
                        Comparator.comparing(
                                        (Recorded r) -> r.claim().created().orElse(Instant.MIN))
                                .thenComparing(r -> !r.validPass())
                                .thenComparing(r -> r.claim().artifact().toString()))
                .orElseThrow();
    }
}
