package io.imagegate.vetting;

import io.imagegate.copy.CopyResult;
import io.imagegate.copy.ImageImporter;
import io.imagegate.copy.ImportListener;
import io.imagegate.copy.ImportRequest;
import io.imagegate.copy.ReferrerMode;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.Platform;
import io.imagegate.policy.Policy;
import io.imagegate.policy.PolicyEvaluator;
import io.imagegate.policy.SignaturePolicy;
import io.imagegate.policy.Verdict;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.referrers.Referrers;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.RemoteRepository;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.scan.ScanReport;
import io.imagegate.scan.ScanScheduler;
import io.imagegate.scan.ScanTargets;
import io.imagegate.scan.Trivy;
import io.imagegate.scan.TrivyJson;
import io.imagegate.scan.TrivyOptions;
import io.imagegate.trust.PublicKeys;
import io.imagegate.trust.SigningKey;
import io.imagegate.trust.SigstoreBundle;
import io.imagegate.trust.UpstreamSignatures;
import io.imagegate.trust.VerdictAttestation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The vet workflow. The source goes into a quarantine repository of the private registry, by
 * digest; every platform is scanned there and judged; the verdict is recorded as a referrer of the
 * vetted manifest in quarantine; on PASS the verdict is recorded in the trusted repository too and
 * then the image is promoted there through blob mounts and manifest PUTs (no layer moves again),
 * the trusted tag written last. On FAIL nothing is written under the trusted name. A policy with a
 * signatures section has the source's upstream signatures checked first: without a valid one (when
 * required) the image FAILs before anything is copied or scanned, its verdict recorded in
 * quarantine. An image whose trusted tag already holds it with a fresh PASS verdict under the same
 * policy is left alone: no copy, no scan.
 */
public final class Vetter {
    /**
     * What to vet.
     *
     * @param referrers which of the source's referrers go to quarantine with the image and are
     *     promoted with it
     */
    public record Request(
            ImageReference source,
            ImageReference target,
            ImageReference quarantine,
            List<Platform> platforms,
            boolean force,
            Policy policy,
            ReferrerMode referrers) {
        public Request {
            platforms = List.copyOf(platforms);
            referrers = referrers == null ? ReferrerMode.ALL : referrers;
        }

        /** Carrying every referrer. */
        public Request(
                ImageReference source,
                ImageReference target,
                ImageReference quarantine,
                List<Platform> platforms,
                boolean force,
                Policy policy) {
            this(source, target, quarantine, platforms, force, policy, ReferrerMode.ALL);
        }
    }

    /**
     * What vetting did.
     *
     * @param failRecordedBesideTarget a FAIL was recorded beside the trusted name too (it held the
     *     image, or verdicts of it)
     * @param trivyJson Trivy's own reports of the scans, when the options kept them
     */
    public record Result(
            Digest digest,
            boolean alreadyVetted,
            boolean promoted,
            List<Verdict> verdicts,
            Optional<VerdictArtifact> verdict,
            ImageReference verdictStoredIn,
            boolean failRecordedBesideTarget,
            List<TrivyJson> trivyJson) {
        public Result {
            trivyJson = List.copyOf(trivyJson);
        }

        public Result(
                Digest digest,
                boolean alreadyVetted,
                boolean promoted,
                List<Verdict> verdicts,
                Optional<VerdictArtifact> verdict,
                ImageReference verdictStoredIn,
                boolean failRecordedBesideTarget) {
            this(
                    digest,
                    alreadyVetted,
                    promoted,
                    verdicts,
                    verdict,
                    verdictStoredIn,
                    failRecordedBesideTarget,
                    List.of());
        }

        public boolean passed() {
            return alreadyVetted || verdicts.stream().allMatch(Verdict::passed);
        }

        Result withTrivyJson(List<TrivyJson> reports) {
            return new Result(
                    digest,
                    alreadyVetted,
                    promoted,
                    verdicts,
                    verdict,
                    verdictStoredIn,
                    failRecordedBesideTarget,
                    reports);
        }
    }

    /**
     * The verdicts of an image's scans, one per target in order, and Trivy's own reports of those
     * scans that were kept.
     */
    public record Judged(List<Verdict> verdicts, List<TrivyJson> trivyJson) {
        public Judged {
            verdicts = List.copyOf(verdicts);
            trivyJson = List.copyOf(trivyJson);
        }
    }

    private final RegistryClient client;
    private final Supplier<Trivy> trivy;
    private final TrivyOptions trivyOptions;

    /**
     * One for all the images this vetter vets (a sync's run side by side): bounds Trivy processes,
     * one DB update.
     */
    private final ScanScheduler scans = ScanScheduler.forThisMachine();

    private final TransportOptions transport;
    private final CredentialProvider credentials;

    /** A listener per vet: copies running side by side (a sync) each count their own blobs. */
    private final Function<Request, ImportListener> importProgress;

    private final Consumer<String> progress;
    private final Clock clock;

    /** Signs every verdict recorded, when present. */
    private final Optional<SigningKey> signingKey;

    public Vetter(
            RegistryClient client,
            Supplier<Trivy> trivy,
            TrivyOptions trivyOptions,
            TransportOptions transport,
            CredentialProvider credentials,
            Function<Request, ImportListener> importProgress,
            Consumer<String> progress,
            Clock clock) {
        this(
                client,
                trivy,
                trivyOptions,
                transport,
                credentials,
                importProgress,
                progress,
                clock,
                Optional.empty());
    }

    /**
     * A vetter that signs every verdict it records with {@code signingKey} (loaded, so checked,
     * before any vet).
     */
    public Vetter(
            RegistryClient client,
            Supplier<Trivy> trivy,
            TrivyOptions trivyOptions,
            TransportOptions transport,
            CredentialProvider credentials,
            Function<Request, ImportListener> importProgress,
            Consumer<String> progress,
            Clock clock,
            Optional<SigningKey> signingKey) {
        this.signingKey = signingKey;
        this.client = client;
        this.trivy = trivy;
        this.trivyOptions = trivyOptions;
        this.transport = transport;
        this.credentials = credentials;
        this.importProgress = importProgress;
        this.progress = progress;
        this.clock = clock;
    }

    public Result vet(Request request) {
        ImageImporter importer = new ImageImporter(client, importProgress.apply(request));

        // Already vetted: the trusted tag holds what the source resolves to, with a PASS under this
        // policy that stands.
        if (!request.force()) {
            Optional<Result> done =
                    alreadyVetted(request, importer, quarantineImport(request, request.source()));
            if (done.isPresent()) {
                return done.get();
            }
        }

        // A quarantine that overlaps trusted images is refused before anything is written, a
        // verdict included.
        guardQuarantineTag(
                request, importer.wantedDigest(quarantineImport(request, request.source())));

        // Upstream signatures, before anything is copied; the copy then takes the very digest they
        // were checked for.
        ImageReference source = request.source();
        Optional<VerdictDocument.Signatures> signatures = Optional.empty();
        if (request.policy().signaturePolicy().isPresent()) {
            SignaturePolicy wanted = request.policy().signaturePolicy().get();
            Descriptor top =
                    importer.wantedDescriptor(ImportRequest.of(source, request.quarantine()));
            source = source.withDigest(top.digest());
            UpstreamSignatures.Result checked = checkSignatures(client, source, wanted, progress);
            signatures = Optional.of(new VerdictDocument.Signatures(wanted.required(), checked));
            if (!checked.verified() && wanted.required()) {
                // Judged is what the vet would have promoted: for a platform subset, the reduced
                // index.
                Descriptor subject =
                        request.platforms().isEmpty()
                                ? top
                                : importer.wantedDescriptor(quarantineImport(request, source));
                Verdict unsigned =
                        Verdict.notScanned(
                                source,
                                request.policy().digest(),
                                clock.instant(),
                                checked.reason().orElseThrow());
                return record(
                        request, subject, source, List.of(unsigned), signatures, null, false, null);
            }
        }

        ImportRequest toQuarantine = quarantineImport(request, source);
        progress.accept("quarantine: " + request.quarantine());
        CopyResult quarantined = importer.importImage(toQuarantine);
        Digest digest = quarantined.target().digest().orElseThrow();
        ImageReference inQuarantine = request.quarantine().byDigest(digest);

        ScanTargets.Resolved targets = ScanTargets.resolve(client, inQuarantine);
        Judged judged =
                judge(
                        scans,
                        trivy.get(),
                        targets,
                        trivyOptions,
                        transport,
                        credentials,
                        progress,
                        request.policy(),
                        Optional.of(request.target()),
                        clock.instant());
        List<Verdict> verdicts = judged.verdicts();

        RemoteRepository quarantine = client.push(request.quarantine());
        Descriptor subject =
                quarantine
                        .headManifest(digest.toString())
                        .orElseThrow(
                                () ->
                                        ImageGateException.of(
                                                ErrorKind.INTEGRITY,
                                                "vet.quarantine-vanished",
                                                "{0} vanished from quarantine while it was vetted",
                                                inQuarantine));
        ImageReference pinnedSource =
                source.digest().isPresent()
                        ? source
                        : source.withDigest(quarantined.sourceDigest());
        return record(
                        request,
                        subject,
                        pinnedSource,
                        verdicts,
                        signatures,
                        () ->
                                importer.importImage(
                                        ImportRequest.of(inQuarantine, request.target())
                                                .withForce(true)
                                                .withReferrers(request.referrers())),
                        false,
                        null)
                .withTrivyJson(judged.trivyJson());
    }

    /**
     * Scans again, in place, the image {@code held} that the trusted tag holds: every platform of
     * that very digest, with the DB as it is now, and records the new verdict beside the trusted
     * name only (signed when this vetter signs). Nothing is copied, nothing goes to quarantine, no
     * blob moves; the verdict supersedes the earlier ones of this digest under this policy, here
     * and in the quarantine. A FAIL so stands beside the trusted name, where every gate reads it
     * first. With a signatures section in the policy the source's upstream signatures are checked
     * again too, for the source's current digest.
     */
    public Result rescan(Request request, Digest held) {
        return rescan(request, held, null);
    }

    /**
     * {@link #rescan(Request, Digest)}, with the verdicts of {@code held} as a lookup just read
     * them (beside the trusted name, in the request's quarantine and in those they name), so they
     * are not read again to be superseded. A verdict recorded after that read is not superseded: a
     * FAIL among them keeps deciding, a PASS stands beside the new verdict; so nothing passes that
     * would not have.
     */
    public Result rescan(Request request, Digest held, VerdictLookup.Found known) {
        RemoteRepository trusted = client.pull(request.target());
        Descriptor subject =
                trusted.headManifest(held.toString())
                        .orElseThrow(
                                () ->
                                        ImageGateException.notFound(
                                                "vet.rescan-vanished",
                                                "{0} no longer holds {1}; nothing to scan again",
                                                request.target().withoutDigest(),
                                                held));
        ImageReference source =
                request.platforms().isEmpty()
                        ? request.source().withDigest(held)
                        : request.source();
        Optional<VerdictDocument.Signatures> signatures = Optional.empty();
        if (request.policy().signaturePolicy().isPresent()) {
            SignaturePolicy wanted = request.policy().signaturePolicy().get();
            Descriptor top =
                    new ImageImporter(client, ImportListener.NONE)
                            .wantedDescriptor(
                                    ImportRequest.of(request.source(), request.quarantine()));
            source = request.source().withDigest(top.digest());
            UpstreamSignatures.Result checked = checkSignatures(client, source, wanted, progress);
            signatures = Optional.of(new VerdictDocument.Signatures(wanted.required(), checked));
            if (!checked.verified() && wanted.required()) {
                Verdict unsigned =
                        Verdict.notScanned(
                                source,
                                request.policy().digest(),
                                clock.instant(),
                                checked.reason().orElseThrow());
                return record(
                        request, subject, source, List.of(unsigned), signatures, null, true, known);
            }
        }
        ImageReference inPlace = request.target().byDigest(held);
        progress.accept("scanning again in place: " + inPlace);
        Judged judged =
                judge(
                        scans,
                        trivy.get(),
                        ScanTargets.resolve(client, inPlace),
                        trivyOptions,
                        transport,
                        credentials,
                        progress,
                        request.policy(),
                        clock.instant());
        return record(request, subject, source, judged.verdicts(), signatures, null, true, known)
                .withTrivyJson(judged.trivyJson());
    }

    private static ImportRequest quarantineImport(Request request, ImageReference source) {
        // The source's referrers (signatures, attestations) go to quarantine with it, and are
        // promoted from there with it;
        // imagegate verdicts among them never travel (the copy leaves them out), so only this vet's
        // verdict is promoted.
        return ImportRequest.of(source, request.quarantine())
                .withPlatforms(request.platforms())
                .withForce(true)
                .withReferrers(request.referrers());
    }

    /**
     * Checks the cosign signatures of {@code image} (pinned to a digest) against {@code policy}'s
     * keys, in its own repository, and says what was found. Scan and vet both check this way.
     */
    public static UpstreamSignatures.Result checkSignatures(
            RegistryClient client,
            ImageReference image,
            SignaturePolicy policy,
            Consumer<String> progress) {
        Digest digest = image.digest().orElseThrow();
        RemoteRepository repository = client.pull(image);
        UpstreamSignatures.Result checked =
                UpstreamSignatures.check(
                        repository, digest, Referrers.list(repository, digest), policy.trust());
        if (checked.verified()) {
            UpstreamSignatures.Signature s = checked.valid().get(0);
            progress.accept(
                    "signature verified: "
                            + s.signer()
                            + ", "
                            + s.format().id()
                            + " "
                            + s.artifact().shortForm());
        } else {
            progress.accept(
                    "signature missing"
                            + (policy.required() ? ": " : " (not required): ")
                            + checked.reason().orElse(""));
        }
        return checked;
    }

    /**
     * Records the verdicts of {@code subject} (in quarantine, or for an image refused before it was
     * copied, the manifest the copy would have) and on PASS promotes it with {@code promote} (null
     * when it cannot pass); on FAIL nothing is written under the trusted name, unless it already
     * held the image. {@code inPlace}: the trusted name holds {@code subject} already, scanned
     * there; the verdict goes beside it only, PASS or FAIL, and nothing is promoted. {@code known}:
     * the verdicts of {@code subject} as just read, or null to read them here.
     */
    private Result record(
            Request request,
            Descriptor subject,
            ImageReference source,
            List<Verdict> verdicts,
            Optional<VerdictDocument.Signatures> signatures,
            Runnable promote,
            boolean inPlace,
            VerdictLookup.Found known) {
        String quarantineName = request.quarantine().repository();
        Digest digest = subject.digest();
        boolean pass = verdicts.stream().allMatch(Verdict::passed);
        RemoteRepository quarantine = client.push(request.quarantine());
        // The new verdict supersedes every verdict of this digest under this policy recorded so
        // far, beside the trusted name
        // and in quarantine: readers rank by that, never by a claimed clock, and the referrers
        // indexes stay bounded.
        VerdictLookup.Found before =
                known != null
                        ? known
                        : VerdictLookup.read(
                                client.pull(request.target()),
                                sibling(request.target()),
                                List.of(quarantineName),
                                digest);
        Set<Digest> supersedes =
                before.under(Optional.of(request.policy().identity())).stream()
                        .map(r -> r.claim().artifact())
                        .collect(Collectors.toCollection(LinkedHashSet::new));
        VerdictDocument document =
                VerdictDocument.of(
                        request.target(),
                        digest,
                        subject.mediaType(),
                        source,
                        request.policy().digest(),
                        verdicts,
                        clock.instant(),
                        quarantineName,
                        supersedes,
                        signatures);
        VerdictArtifact artifact =
                VerdictArtifact.of(
                        new Descriptor(subject.mediaType(), digest, subject.size()), document);
        Set<Digest> attestationsSuperseded =
                VerdictSignatures.under(before.attestations(), digest, request.policy().identity());
        Optional<SigstoreBundle> bundle =
                signingKey.map(
                        key ->
                                VerdictAttestation.sign(
                                        key,
                                        request.target().registry()
                                                + "/"
                                                + request.target().repository(),
                                        digest,
                                        document.json()));
        Descriptor subjectDescriptor = new Descriptor(subject.mediaType(), digest, subject.size());
        // The signature goes in before the verdict (a reader that sees the verdict finds its
        // signature too), both in one
        // write of the referrers index: signing adds one manifest PUT, not a second index round.
        Set<Digest> replaced = new LinkedHashSet<>(document.supersedes());
        replaced.addAll(attestationsSuperseded);
        Consumer<RemoteRepository> record =
                repository -> {
                    List<Manifest> referrers = new ArrayList<>();
                    // The verdict's blobs (the empty config they share among them), then the
                    // bundle's, then both manifests at once.
                    artifact.pushBlobs(repository);
                    bundle.ifPresent(
                            b ->
                                    referrers.add(
                                            AttestationReferrer.pushBundle(
                                                    repository,
                                                    subjectDescriptor,
                                                    b,
                                                    document.createdAt().orElseThrow())));
                    referrers.add(artifact.manifest());
                    VerdictReferrers.push(
                            repository,
                            referrers,
                            bundle.isPresent() ? replaced : document.supersedes());
                };
        if (inPlace) {
            record.accept(client.push(request.target(), quarantineName));
            progress.accept(
                    "verdict "
                            + document.verdict()
                            + " recorded beside "
                            + request.target().withoutDigest().name()
                            + " ("
                            + artifact.manifest().digest().shortForm()
                            + ")"
                            + signingKey
                                    .map(
                                            k ->
                                                    ", signed with the key "
                                                            + k.publicKey().fingerprint())
                                    .orElse(""));
            return new Result(
                    digest,
                    false,
                    false,
                    verdicts,
                    Optional.of(artifact),
                    request.target().byDigest(artifact.manifest().digest()),
                    !pass);
        }
        record.accept(quarantine);
        progress.accept(
                "verdict "
                        + document.verdict()
                        + " recorded in "
                        + request.quarantine().withoutDigest().name()
                        + " ("
                        + artifact.manifest().digest().shortForm()
                        + ")"
                        + signingKey
                                .map(k -> ", signed with the key " + k.publicKey().fingerprint())
                                .orElse(""));
        if (!pass) {
            // An image already promoted that now fails (a newer DB, a stricter policy): its FAIL
            // goes beside the trusted
            // name too, so every gate that reads verdicts stops accepting it. (Gates also read the
            // quarantine it names.)
            boolean promotedBefore =
                    client.pull(request.target())
                                    .headManifest(request.target().tag().orElseThrow())
                                    .map(d -> d.digest().equals(digest))
                                    .orElse(false)
                            || before.verdicts().stream()
                                    .anyMatch(
                                            r ->
                                                    r.claim()
                                                            .foundIn()
                                                            .equals(request.target().repository()));
            if (promotedBefore) {
                record.accept(client.push(request.target(), quarantineName));
                progress.accept(
                        "verdict FAIL also recorded beside "
                                + request.target()
                                + ", which holds this image");
            }
            return new Result(
                    digest,
                    false,
                    false,
                    verdicts,
                    Optional.of(artifact),
                    request.quarantine().byDigest(artifact.manifest().digest()),
                    promotedBefore);
        }

        // The verdict goes in beside the trusted name first; the trusted tag is the last thing
        // written.
        RemoteRepository trusted = client.push(request.target(), quarantineName);
        record.accept(trusted);
        progress.accept(
                "promoting " + request.quarantine().byDigest(digest) + " to " + request.target());
        promote.run();
        return new Result(
                digest,
                false,
                true,
                verdicts,
                Optional.of(artifact),
                request.target().byDigest(artifact.manifest().digest()),
                false);
    }

    /**
     * The keys a verdict must be signed by to count as done under {@code policy}: this vetter's own
     * (enabling signing signs what was vetted before) and the policy's {@code verdictKeys} (what
     * gates will ask for). None: unsigned counts.
     */
    public List<PublicKeys.Key> countingKeys(Policy policy) {
        List<PublicKeys.Key> keys = new ArrayList<>();
        signingKey.ifPresent(k -> keys.add(k.publicKey()));
        for (String file : policy.verdictKeys()) {
            keys.add(PublicKeys.load(java.nio.file.Path.of(file), "verdictKeys of the policy"));
        }
        return keys;
    }

    /**
     * Other repositories of the target's registry, by name, to read verdicts from (its
     * quarantines).
     */
    private Function<String, RemoteRepository> sibling(ImageReference target) {
        return name -> client.pull(ImageReference.of(target.registry(), name, null, null));
    }

    /**
     * The quarantine import overwrites the quarantine tag. A tag there that holds an image vetted
     * under that very name is not an earlier quarantine copy but a trusted image (a quarantine
     * prefix that overlaps the trusted namespace): it is never overwritten.
     */
    private void guardQuarantineTag(Request request, Digest wanted) {
        RemoteRepository quarantine = client.pull(request.quarantine());
        Optional<Descriptor> held =
                quarantine.headManifest(request.quarantine().tag().orElseThrow());
        if (held.isEmpty() || held.get().digest().equals(wanted)) {
            return;
        }
        String name = quarantine.repository();
        for (Descriptor d : Referrers.list(quarantine, held.get().digest())) {
            Optional<io.imagegate.oci.Manifest> m = quarantine.findManifest(d.digest().toString());
            if (m.isEmpty() || !VerdictArtifact.isVerdictOf(m.get(), held.get().digest())) {
                continue;
            }
            VerdictArtifact.Claim claim = VerdictArtifact.claim(m.get(), quarantine);
            boolean trustedHere =
                    claim.quarantine().isEmpty()
                            ? VerdictArtifact.document(quarantine, m.get(), held.get().digest())
                                    .subjectRepository()
                                    .equals(name)
                            : !claim.quarantine().equals(name);
            if (trustedHere) {
                throw ImageGateException.usage(
                        io.imagegate.message.Field.QUARANTINE,
                        "vet.quarantine-overlaps",
                        "the quarantine {0} holds an"
                                + " image vetted under that very name ({1}): the quarantine ({2}) overlaps trusted images, and vetting would"
                                + " overwrite one; choose a quarantine prefix outside every trusted repository",
                        request.quarantine(),
                        held.get().digest(),
                        io.imagegate.message.Field.QUARANTINE);
            }
        }
    }

    /**
     * Scans every target of {@code resolved} (one Trivy run each, side by side as {@code scans}
     * allows) and judges each report against {@code policy}: one verdict per target, in order, with
     * Trivy's own reports when the options keep them. Scan and vet both judge this way.
     */
    public static Judged judge(
            ScanScheduler scans,
            Trivy trivy,
            ScanTargets.Resolved resolved,
            TrivyOptions options,
            TransportOptions transport,
            CredentialProvider credentials,
            Consumer<String> progress,
            Policy policy,
            Instant judged) {
        return judge(
                scans,
                trivy,
                resolved,
                options,
                transport,
                credentials,
                progress,
                policy,
                Optional.empty(),
                judged);
    }

    /**
     * As above, for images vetted for the trusted name {@code vettedFor}: the policy's image globs
     * match it as well as the name scanned (the quarantine copy).
     */
    public static Judged judge(
            ScanScheduler scans,
            Trivy trivy,
            ScanTargets.Resolved resolved,
            TrivyOptions options,
            TransportOptions transport,
            CredentialProvider credentials,
            Consumer<String> progress,
            Policy policy,
            Optional<ImageReference> vettedFor,
            Instant judged) {
        List<ScanReport> reports =
                scans.scanAll(trivy, resolved.targets(), options, transport, credentials, progress);
        List<Verdict> verdicts = new ArrayList<>();
        List<TrivyJson> kept = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            ScanTargets.Target target = resolved.targets().get(i);
            verdicts.add(
                    PolicyEvaluator.evaluate(
                            policy,
                            target.image(),
                            vettedFor,
                            target.platform(),
                            reports.get(i).vulnerabilities(),
                            reports.get(i).packageCount(),
                            trivy.info(),
                            judged));
            reports.get(i)
                    .json()
                    .ifPresentOrElse(
                            json -> kept.add(json.of(target.platform())),
                            () -> {
                                if (options.keepJson()) {
                                    progress.accept(
                                            "Trivy's report of "
                                                    + target.image()
                                                    + target.platform()
                                                            .map(p -> " (" + p + ")")
                                                            .orElse("")
                                                    + " is larger than "
                                                    + (TrivyJson.MAX_KEPT >> 20)
                                                    + " MiB: not written beside the reports");
                                }
                            });
        }
        return new Judged(verdicts, kept);
    }

    private Optional<Result> alreadyVetted(
            Request request, ImageImporter importer, ImportRequest toQuarantine) {
        RemoteRepository trusted = client.pull(request.target());
        Optional<Descriptor> current = trusted.headManifest(request.target().tag().orElseThrow());
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Digest wanted = importer.wantedDigest(toQuarantine);
        if (!wanted.equals(current.get().digest())) {
            return Optional.empty();
        }
        // The quarantine is read too: a vet stopped between its FAIL there and the FAIL beside the
        // trusted name left a PASS here.
        VerdictLookup.Answer answer =
                VerdictLookup.find(
                        trusted,
                        sibling(request.target()),
                        List.of(request.quarantine().repository()),
                        wanted,
                        Optional.of(request.policy().identity()),
                        request.policy().maxVerdictAgeDuration(),
                        clock.instant(),
                        countingKeys(request.policy()));
        if (!answer.vetted()) {
            return Optional.empty();
        }
        progress.accept(
                request.target()
                        + " already holds "
                        + wanted
                        + " with a PASS verdict under this policy: nothing to do");
        return Optional.of(
                new Result(
                        wanted,
                        true,
                        false,
                        List.of(),
                        Optional.empty(),
                        request.target().byDigest(answer.verdict().orElseThrow().artifact()),
                        false));
    }
}
