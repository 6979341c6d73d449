package io.imagegate.api;

import io.imagegate.copy.ImageImporter;
import io.imagegate.copy.ImportRequest;
import io.imagegate.copy.ProgressLog;
import io.imagegate.gate.VettingCheck;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Platform;
import io.imagegate.policy.Policy;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.RemoteRepository;
import io.imagegate.registry.TransportListener;
import io.imagegate.report.ScanReports;
import io.imagegate.scan.Trivy;
import io.imagegate.scan.TrivyOptions;
import io.imagegate.trust.PublicKeys;
import io.imagegate.trust.SigningKey;
import io.imagegate.vetting.RegistryVettingCheck;
import io.imagegate.vetting.SyncFile;
import io.imagegate.vetting.VerdictArtifact;
import io.imagegate.vetting.VerdictDocument;
import io.imagegate.vetting.VerdictLookup;
import io.imagegate.vetting.VerdictProbe;
import io.imagegate.vetting.VerdictSignatures;
import io.imagegate.vetting.Vetter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/** The vetting operations (vet, sync, verdict) and the gate's vetting check, bound to the API. */
final class Vetting {
    private final ImageGate gate;
    private final Clock clock = Clock.systemUTC();

    Vetting(ImageGate gate) {
        this.gate = gate;
    }

    VetResult vet(VetSpec spec, ProgressListener progress) {
        ImageGate withCredentials = gate.with(spec.registries());
        Environment env = gate.settings().environment();
        Policy policy = Scanning.policy(env, spec.policy());
        ImageReference source = spec.resolvedSource();
        ImageReference target = spec.resolvedTarget(source);
        ImageReference quarantine = spec.quarantineRepository(target);
        // The key is checked before anything is copied: a wrong password records nothing.
        Optional<SigningKey> signingKey =
                spec.signingKeyContent() != null
                        ? signingKey(env, spec.signingKeyContent())
                        : signingKey(env, spec.signingKey());
        ProgressLog log = new ProgressLog(progress::info);
        try (RegistryClient client = withCredentials.client(log)) {
            Vetter vetter =
                    vetter(
                            withCredentials,
                            client,
                            spec.trivy(),
                            Scanning.writesReports(spec.reportDir()),
                            request -> log,
                            progress,
                            signingKey);
            Vetter.Result r =
                    vetter.vet(
                            new Vetter.Request(
                                    source,
                                    target,
                                    quarantine,
                                    Inputs.platforms(Field.PLATFORM, spec.platforms()),
                                    spec.force(),
                                    policy,
                                    io.imagegate.copy.ReferrerMode.parse(spec.referrers())));
            // Named after the target and the digest vetted for it: what a vet is about, as sync
            // names its directories.
            List<String> reports =
                    Scanning.writeReports(
                            env,
                            spec.reportDir(),
                            target.withDigest(r.digest()),
                            new Vetter.Judged(r.verdicts(), r.trivyJson()));
            List<String> lines = new ArrayList<>(ScanReports.text(r.verdicts()));
            String verdict = r.passed() ? "PASS" : "FAIL";
            lines.add(
                    Message.neutralize(
                            r.alreadyVetted()
                                    ? "vetted: "
                                            + target.withDigest(r.digest())
                                            + " (already vetted; nothing copied or scanned)"
                                    : r.promoted()
                                            ? "vetted: "
                                                    + target.withDigest(r.digest())
                                                    + " promoted from "
                                                    + quarantine.withoutDigest()
                                            : r.failRecordedBesideTarget()
                                                    ? "refused: "
                                                            + source
                                                            + " ("
                                                            + r.digest()
                                                            + ") failed the policy; "
                                                            + target
                                                            + " held it, so its FAIL is recorded beside it as well as in "
                                                            + quarantine.withoutDigest()
                                                            + ", and gates refuse it"
                                                    : "refused: "
                                                            + source
                                                            + " ("
                                                            + r.digest()
                                                            + ") failed the policy; nothing was written under "
                                                            + target
                                                            + "; its verdict is in "
                                                            + quarantine.withoutDigest()));
            return new VetResult(
                    r.passed() ? Outcome.PASSED : Outcome.POLICY_FAILED,
                    Optional.empty(),
                    spec.source(),
                    target.toString(),
                    r.digest().toString(),
                    verdict,
                    r.promoted(),
                    r.alreadyVetted(),
                    Scanning.summaries(r.verdicts()),
                    r.verdictStoredIn().toString(),
                    quarantine.toString(),
                    reports,
                    lines);
        }
    }

    /**
     * A vetter with these settings; it keeps Trivy's own reports when {@code keepTrivyJson}, that
     * is, when reports are written.
     */
    private Vetter vetter(
            ImageGate api,
            RegistryClient client,
            TrivySettings trivy,
            boolean keepTrivyJson,
            java.util.function.Function<Vetter.Request, io.imagegate.copy.ImportListener>
                    importProgress,
            ProgressListener progress,
            Optional<SigningKey> signingKey) {
        Environment env = api.settings().environment();
        TrivyOptions options = trivy.options(env).keepingJson(keepTrivyJson);
        Supplier<Trivy> located = memoize(() -> Scanning.trivy(env, trivy, progress));
        return new Vetter(
                client,
                located,
                options,
                api.transport(),
                api.credentials(),
                importProgress,
                line -> progress.info(Message.neutralize(line)),
                clock,
                signingKey);
    }

    /** The environment variables the signing key's password is read from, the first set one. */
    static final List<String> PASSWORD_VARIABLES =
            List.of("IMAGEGATE_SIGNING_KEY_PASSWORD", "COSIGN_PASSWORD");

    /**
     * The signing key named by {@code file} (relative to the working directory), loaded and so
     * checked; its password from the environment only. Empty when no key is named.
     */
    static Optional<SigningKey> signingKey(Environment env, String file) {
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        Optional<char[]> password = password(env);
        try {
            return Optional.of(
                    SigningKey.load(
                            Path.of(env.workingDirectory()).resolve(file),
                            password,
                            Field.SIGNING_KEY));
        } finally {
            password.ifPresent(p -> java.util.Arrays.fill(p, '\0'));
        }
    }

    /**
     * The signing key given by its content, loaded from memory and so checked; its password from
     * the environment only.
     */
    static Optional<SigningKey> signingKey(Environment env, KeyContent content) {
        Optional<char[]> password = password(env);
        try {
            return Optional.of(
                    SigningKey.fromContent(
                            content.pem().reveal(), password, content.name(), Field.SIGNING_KEY));
        } finally {
            password.ifPresent(p -> java.util.Arrays.fill(p, '\0'));
        }
    }

    private static Optional<char[]> password(Environment env) {
        return PASSWORD_VARIABLES.stream()
                .map(env::variable)
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .map(String::toCharArray);
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }

    SyncResult sync(SyncSpec spec, ProgressListener progress) {
        Environment env = gate.settings().environment();
        // The command line first: a wrong shard or age is the caller's mistake, whatever the file.
        SyncShard shard = spec.shard() == null ? SyncShard.ALL : SyncShard.parse(spec.shard(), env);
        Optional<java.time.Duration> rescanOption =
                spec.rescanOlderThan() == null
                        ? Optional.empty()
                        : Optional.of(
                                RescanAge.parse(Field.RESCAN_OLDER_THAN, spec.rescanOlderThan()));
        Path file = Path.of(env.workingDirectory()).resolve(spec.file());
        SyncFile sync = SyncFile.load(file);
        String fileDigest = fileDigest(file);
        // the sync file's anonymous registries: no stored credentials for them, in this sync
        ImageGate syncGate = gate.with(SyncClients.anonymous(sync));
        Path syncDir = file.toAbsolutePath().getParent();
        Policy defaultPolicy =
                sync.policy() != null
                        ? Policy.load(syncDir.resolve(sync.policy()), file + " (key policy)")
                        : Scanning.policy(env, spec.policy());
        String quarantinePrefix = spec.quarantine() != null ? spec.quarantine() : sync.quarantine();
        // Rules become the images they select now, before anything else looks at the images.
        SyncRules.Expanded expanded;
        try (SyncClients listing =
                new SyncClients(syncGate, sync, new ProgressLog(progress::info), null)) {
            expanded =
                    SyncRules.expand(
                            file, sync, listing, RemoteRepository.TagLimits.DEFAULT, progress);
        }
        sync = expanded.sync();
        // Before anything is copied: a quarantine that overlaps a target would overwrite it, and an
        // image whose source is
        // another's target waits for that one.
        List<Integer> after = SyncOrder.plan(file, sync.images(), quarantinePrefix);
        // --rescan-older-than over every rescanAfter of the file: an operator's 0s means all.
        Optional<java.time.Duration> fileRescan =
                rescanAfter(file, "rescanAfter", sync.rescanAfter());
        List<Optional<java.time.Duration>> rescanAges = new ArrayList<>();
        for (int i = 0; i < sync.images().size(); i++) {
            SyncFile.Entry entry = sync.images().get(i);
            rescanAges.add(
                    rescanOption.isPresent()
                            ? rescanOption
                            : entry.rescanAfter() != null
                                    ? rescanAfter(
                                            file,
                                            "images[" + i + "].rescanAfter",
                                            entry.rescanAfter())
                                    : fileRescan);
        }
        List<Integer> mine = new ArrayList<>();
        for (int i = 0; i < sync.images().size(); i++) {
            if (shard.holds(sync.images().get(i).target())) {
                mine.add(i);
            }
        }
        if (shard.count() > 1) {
            progress.info(
                    "shard "
                            + shard
                            + ": "
                            + mine.size()
                            + " of the "
                            + sync.images().size()
                            + " images, by target repository");
        }
        Optional<SigningKey> signingKey = signingKey(env, spec.signingKey());
        ProgressLog log = new ProgressLog(progress::info);
        VerdictProbe probe = new VerdictProbe();
        try (Batch pool = new Batch("imagegate-sync", spec.parallelism());
                SyncClients clients =
                        new SyncClients(
                                syncGate,
                                sync,
                                log,
                                client ->
                                        syncVetter(syncGate, client, spec, progress, signingKey))) {
            List<String> reportDirs = reportDirectories(spec.reportDir(), sync.images());
            // Submitted in an order where an image comes after the one it waits for, which so has a
            // thread or is done. One that waits for an image of another shard does not wait: it
            // takes what that target holds when it runs.
            List<Future<SyncResult.Entry>> futures =
                    new ArrayList<>(java.util.Collections.nCopies(sync.images().size(), null));
            Set<Integer> selected = new java.util.HashSet<>(mine);
            for (int i : SyncOrder.topological(after)) {
                if (!selected.contains(i)) {
                    continue;
                }
                SyncFile.Entry entry = sync.images().get(i);
                String reportDir = reportDirs.get(i);
                boolean waits = after.get(i) >= 0 && selected.contains(after.get(i));
                Future<SyncResult.Entry> first = waits ? futures.get(after.get(i)) : null;
                String firstTarget = waits ? sync.images().get(after.get(i)).target() : null;
                Optional<java.time.Duration> rescanAge = rescanAges.get(i);
                futures.set(
                        i,
                        pool.submit(
                                () -> {
                                    if (first != null
                                            && await(first, entry).outcome() != Outcome.PASSED) {
                                        return failedEntry(
                                                entry,
                                                ImageGateException.of(
                                                        ErrorKind.CONFIGURATION,
                                                        "sync.source-not-vetted",
                                                        "its source is the target {0} of another image, which was not vetted in this run",
                                                        firstTarget));
                                    }
                                    return syncOne(
                                            clients.client(entry),
                                            clients.vetter(entry),
                                            probe,
                                            entry,
                                            syncDir,
                                            file,
                                            defaultPolicy,
                                            quarantinePrefix,
                                            reportDir,
                                            rescanAge,
                                            progress);
                                }));
            }
            List<SyncResult.Entry> entries = new ArrayList<>();
            for (int i : mine) {
                entries.add(await(futures.get(i), sync.images().get(i)));
            }
            entries.addAll(expanded.failed());
            return new SyncResult(
                    Outcome.worst(entries.stream().map(SyncResult.Entry::outcome).toList()),
                    Optional.empty(),
                    entries,
                    new SyncResult.Run(
                            spec.file(),
                            fileDigest,
                            sync.images().size(),
                            shard.index(),
                            shard.count(),
                            List.of(shard.index())));
        }
    }

    /**
     * A sync file key's rescan age; one written wrong is the file's error, naming the key and its
     * line.
     */
    private static Optional<java.time.Duration> rescanAfter(
            Path file, String key, SyncFile.Located value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(RescanAge.parse(Field.RESCAN_OLDER_THAN, value.text()));
        } catch (ImageGateException e) {
            throw ImageGateException.configuration(
                    "sync.rescan-after",
                    "the sync file {0} line {1}, key {2}: \"{3}\" is not a duration; give e.g. 24h,"
                            + " 7d (at most a year), or 0s to scan every image again",
                    file,
                    String.valueOf(value.line()),
                    key,
                    value.text());
        }
    }

    /** The digest of the sync file's bytes, which shards of one run must share. */
    private static String fileDigest(Path file) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            return Digest.sha256(in.readNBytes(SyncFile.MAX_BYTES + 1)).toString();
        } catch (java.io.IOException e) {
            throw ImageGateException.configuration(
                    "sync.unreadable",
                    "cannot read the sync file {0}: {1}",
                    file,
                    String.valueOf(e.getMessage()));
        }
    }

    /**
     * The vetter of a sync's images read through {@code client}: copies run side by side, each its
     * own count, its lines named by the image they are about.
     */
    private Vetter syncVetter(
            ImageGate syncGate,
            RegistryClient client,
            SyncSpec spec,
            ProgressListener progress,
            Optional<SigningKey> signingKey) {
        return vetter(
                syncGate,
                client,
                spec.trivy(),
                Scanning.writesReports(spec.reportDir()),
                request ->
                        spec.parallelism() == 1
                                ? new ProgressLog(progress::info)
                                : new ProgressLog(
                                        line ->
                                                progress.info(
                                                        request.target().repository()
                                                                + ": "
                                                                + line.strip())),
                progress,
                signingKey);
    }

    private static SyncResult.Entry await(Future<SyncResult.Entry> future, SyncFile.Entry entry) {
        return Batch.await(
                future,
                entry,
                Vetting::failedEntry,
                () ->
                        ImageGateException.of(
                                ErrorKind.INTERRUPTED,
                                "sync.interrupted",
                                "the sync was interrupted"));
    }

    /**
     * Where each image's reports go: a directory of {@code reportDir} named after the image's
     * target as the sync file writes it, as {@link Inputs#fileName} makes it a file name ({@code
     * registry.example.com_base_alpine_3.20}); a name an earlier image already has gets {@code -2},
     * {@code -3}, … Null for each when there is no report directory.
     */
    private static List<String> reportDirectories(String reportDir, List<SyncFile.Entry> images) {
        List<String> out = new ArrayList<>();
        Set<String> taken = new java.util.HashSet<>();
        for (SyncFile.Entry entry : images) {
            if (reportDir == null || reportDir.isBlank()) {
                out.add(null);
                continue;
            }
            String name = Inputs.fileName(entry.target());
            String unique = name;
            for (int n = 2; !taken.add(unique.toLowerCase(java.util.Locale.ROOT)); n++) {
                unique = name + "-" + n;
            }
            out.add(Path.of(reportDir).resolve(unique).toString());
        }
        return out;
    }

    private static SyncResult.Entry failedEntry(SyncFile.Entry entry, ImageGateException e) {
        return failedEntry(entry, e, "", "", false);
    }

    /** An image that failed after its digests were compared: they are reported with the error. */
    private static SyncResult.Entry failedEntry(
            SyncFile.Entry entry,
            ImageGateException e,
            String previousDigest,
            String digest,
            boolean changed) {
        return new SyncResult.Entry(
                entry.source(),
                entry.target(),
                Outcome.ERROR,
                Optional.of(e),
                previousDigest,
                digest,
                changed,
                false,
                List.of(),
                List.of());
    }

    /**
     * Lookup answers that rest on an earlier scan of the very digest: it is scanned again in place.
     */
    private static final Set<VerdictLookup.Status> IN_PLACE =
            java.util.EnumSet.of(
                    VerdictLookup.Status.VETTED,
                    VerdictLookup.Status.TOO_OLD,
                    VerdictLookup.Status.FAILED,
                    VerdictLookup.Status.ALLOWLIST_EXPIRED,
                    VerdictLookup.Status.NOT_SIGNED);

    /** Of those, the ones where the image counted as passing before. */
    private static final Set<VerdictLookup.Status> PASSED_BEFORE =
            java.util.EnumSet.of(
                    VerdictLookup.Status.VETTED,
                    VerdictLookup.Status.TOO_OLD,
                    VerdictLookup.Status.ALLOWLIST_EXPIRED,
                    VerdictLookup.Status.NOT_SIGNED);

    /**
     * One image. Unchanged upstream with a fresh PASS costs two manifest requests and one referrers
     * listing ({@link VerdictProbe}); when the listing does not plainly show one, the verdicts are
     * looked up in full, and an image whose verdict no longer stands or is older than {@code
     * rescanAge} is scanned again in place. A moved one is vetted, the change reported, and its
     * scan reports written to {@code reportDir} when there is one.
     */
    private SyncResult.Entry syncOne(
            RegistryClient client,
            Vetter vetter,
            VerdictProbe probe,
            SyncFile.Entry entry,
            Path syncDir,
            Path syncFile,
            Policy defaultPolicy,
            String quarantinePrefix,
            String reportDir,
            Optional<java.time.Duration> rescanAge,
            ProgressListener progress) {
        // what was compared, for an error after the comparison ("not compared" only when it never
        // was)
        String previousDigest = "";
        String comparedDigest = "";
        boolean moved = false;
        try {
            VetSpec spec =
                    VetSpec.builder()
                            .source(entry.source())
                            .target(entry.target())
                            .quarantine(quarantinePrefix)
                            .platforms(entry.platforms())
                            .build();
            spec.validate();
            ImageReference source = spec.resolvedSource();
            ImageReference target = spec.resolvedTarget(source);
            ImageReference quarantine = spec.quarantineRepository(target);
            List<Platform> platforms = Inputs.platforms(Field.PLATFORM, entry.platforms());
            Policy policy =
                    entry.policy() != null
                            ? Policy.load(
                                    syncDir.resolve(entry.policy()),
                                    syncFile + " (key policy of " + entry.target() + ")")
                            : defaultPolicy;

            Digest wanted =
                    new ImageImporter(client, io.imagegate.copy.ImportListener.NONE)
                            .wantedDigest(
                                    ImportRequest.of(source, quarantine).withPlatforms(platforms));
            RemoteRepository trusted = client.pull(target);
            Optional<Descriptor> current = trusted.headManifest(target.tag().orElseThrow());
            boolean changed = current.isEmpty() || !current.get().digest().equals(wanted);
            previousDigest = current.map(d -> d.digest().toString()).orElse("");
            comparedDigest = wanted.toString();
            moved = changed;
            Vetter.Request request =
                    new Vetter.Request(source, target, quarantine, platforms, true, policy);
            if (!changed) {
                Instant now = clock.instant();
                List<io.imagegate.trust.PublicKeys.Key> keys = vetter.countingKeys(policy);
                // The cheap look first: the listing's own word that a young PASS stands.
                Optional<Instant> fresh =
                        probe.freshPass(
                                trusted,
                                wanted,
                                policy.digest(),
                                shortest(rescanAge, policy.maxVerdictAgeDuration()),
                                !keys.isEmpty(),
                                now);
                if (fresh.isPresent()) {
                    return unchanged(entry, wanted, policy, fresh.get().toString());
                }
                // Unchanged upstream, but the trusted tag may hold what was never vetted (imported
                // directly), what failed since, or a verdict due for a rescan: only a PASS that
                // stands under this policy, younger than the rescan age, leaves it alone.
                VerdictLookup.Answer answer =
                        VerdictLookup.find(
                                trusted,
                                name ->
                                        client.pull(
                                                ImageReference.of(
                                                        target.registry(), name, null, null)),
                                List.of(quarantine.repository()),
                                wanted,
                                Optional.of(policy.identity()),
                                policy.maxVerdictAgeDuration(),
                                now,
                                keys);
                Optional<Instant> verdictDate =
                        answer.verdict().flatMap(VerdictArtifact.Claim::created);
                boolean due =
                        rescanAge.isPresent()
                                && verdictDate
                                        .map(
                                                d ->
                                                        java.time.Duration.between(d, now)
                                                                        .compareTo(rescanAge.get())
                                                                >= 0)
                                        .orElse(true);
                if (answer.vetted() && !due) {
                    return unchanged(
                            entry, wanted, policy, verdictDate.map(Object::toString).orElse(""));
                }
                if (IN_PLACE.contains(answer.status())) {
                    progress.info(
                            Message.neutralize(
                                    target
                                            + " holds "
                                            + wanted
                                            + (answer.vetted()
                                                    ? " with a PASS of "
                                                            + verdictDate
                                                                    .map(Object::toString)
                                                                    .orElse("")
                                                            + ", due for a rescan"
                                                    : " without a PASS that stands ("
                                                            + answer.reason()
                                                            + ")")
                                            + ": scanning it again in place"));
                    return rescanned(
                            vetter,
                            request,
                            entry,
                            wanted,
                            PASSED_BEFORE.contains(answer.status()),
                            answer.found(),
                            reportDir,
                            progress);
                }
                progress.info(
                        Message.neutralize(
                                target
                                        + " holds "
                                        + wanted
                                        + " without a PASS that stands ("
                                        + answer.reason()
                                        + "): vetting it"));
            } else {
                progress.info(
                        Message.neutralize(
                                source
                                        + " moved: "
                                        + current.map(d -> d.digest().toString())
                                                .orElse("(not vetted yet)")
                                        + " -> "
                                        + wanted));
            }
            Set<String> before =
                    changed && current.isPresent()
                            ? previousFindings(trusted, current.get().digest(), progress)
                            : Set.of();
            Vetter.Result r = vetter.vet(request);
            writeReports(reportDir, target, r, progress);
            Set<String> now = r.verdict().map(a -> a.document().findingKeys()).orElse(Set.of());
            List<String> fixed = before.stream().filter(k -> !now.contains(k)).sorted().toList();
            List<String> introduced =
                    changed
                            ? now.stream().filter(k -> !before.contains(k)).sorted().toList()
                            : List.of();
            return new SyncResult.Entry(
                    entry.source(),
                    entry.target(),
                    r.passed() ? Outcome.PASSED : Outcome.POLICY_FAILED,
                    Optional.empty(),
                    current.map(d -> d.digest().toString()).orElse(""),
                    r.digest().toString(),
                    changed,
                    true,
                    fixed,
                    introduced,
                    false,
                    false,
                    false,
                    failing(r.verdicts()),
                    counts(r.verdicts()),
                    policy.digest(),
                    r.verdict().map(a -> a.document().created()).orElse(""));
        } catch (ImageGateException e) {
            return failedEntry(entry, e, previousDigest, comparedDigest, moved);
        } catch (RuntimeException e) {
            return failedEntry(entry, ImageGate.internal(e), previousDigest, comparedDigest, moved);
        }
    }

    /** An unchanged image left alone: its PASS stands and is young enough. */
    private static SyncResult.Entry unchanged(
            SyncFile.Entry entry, Digest digest, Policy policy, String verdictCreated) {
        return new SyncResult.Entry(
                entry.source(),
                entry.target(),
                Outcome.PASSED,
                Optional.empty(),
                digest.toString(),
                digest.toString(),
                false,
                false,
                List.of(),
                List.of(),
                false,
                false,
                false,
                List.of(),
                java.util.Map.of(),
                policy.digest(),
                verdictCreated);
    }

    /**
     * Scans {@code held} again in place ({@link Vetter#rescan}) and says what changed: newly
     * failing when it counted as passing before, clean again when it did not.
     */
    private SyncResult.Entry rescanned(
            Vetter vetter,
            Vetter.Request request,
            SyncFile.Entry entry,
            Digest held,
            boolean passedBefore,
            VerdictLookup.Found known,
            String reportDir,
            ProgressListener progress) {
        Vetter.Result r = vetter.rescan(request, held, known);
        writeReports(reportDir, request.target(), r, progress);
        boolean passed = r.passed();
        List<String> findings = failing(r.verdicts());
        if (passedBefore && !passed) {
            progress.info(
                    Message.neutralize(
                            "newly failing: "
                                    + request.target()
                                    + "@"
                                    + held
                                    + (findings.isEmpty()
                                            ? ""
                                            : " (" + String.join(", ", findings) + ")")
                                    + "; its FAIL is recorded beside it, and gates refuse it"));
        }
        return new SyncResult.Entry(
                entry.source(),
                entry.target(),
                passed ? Outcome.PASSED : Outcome.POLICY_FAILED,
                Optional.empty(),
                held.toString(),
                held.toString(),
                false,
                true,
                List.of(),
                List.of(),
                true,
                passedBefore && !passed,
                !passedBefore && passed,
                findings,
                counts(r.verdicts()),
                request.policy().digest(),
                r.verdict().map(a -> a.document().created()).orElse(""));
    }

    private void writeReports(
            String reportDir, ImageReference target, Vetter.Result r, ProgressListener progress) {
        List<String> reports =
                Scanning.writeReports(
                        gate.settings().environment(),
                        reportDir,
                        target.withDigest(r.digest()),
                        new Vetter.Judged(r.verdicts(), r.trivyJson()));
        if (!reports.isEmpty()) {
            progress.info(
                    Message.neutralize(
                            "reports for " + target + ": " + Path.of(reports.get(0)).getParent()));
        }
    }

    /** {@code id package version} of the findings that fail the policy, each once, sorted. */
    private static List<String> failing(List<io.imagegate.policy.Verdict> verdicts) {
        return verdicts.stream()
                .flatMap(v -> v.failing().stream())
                .map(f -> f.id() + " " + f.packageName() + " " + f.installedVersion())
                .distinct()
                .sorted()
                .toList();
    }

    /** The findings of every platform by severity. */
    private static java.util.Map<String, Integer> counts(
            List<io.imagegate.policy.Verdict> verdicts) {
        java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (io.imagegate.finding.Severity s : io.imagegate.finding.Severity.values()) {
            out.put(s.name(), verdicts.stream().mapToInt(v -> v.counts().getOrDefault(s, 0)).sum());
        }
        return verdicts.isEmpty() ? java.util.Map.of() : out;
    }

    /** The shorter of two optional durations. */
    private static Optional<java.time.Duration> shortest(
            Optional<java.time.Duration> a, Optional<java.time.Duration> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return Optional.of(a.get().compareTo(b.get()) <= 0 ? a.get() : b.get());
    }

    /**
     * The findings of the newest verdict recorded for {@code digest}, under any policy, to report
     * what a new digest fixed and introduced. Only a report: when there is none, or it cannot be
     * read (deleted, another schema, too deep), it is "no previous findings", and the vet goes on.
     */
    private static Set<String> previousFindings(
            RemoteRepository trusted, Digest digest, ProgressListener progress) {
        try {
            VerdictLookup.Found found = VerdictLookup.read(trusted, digest);
            Optional<VerdictLookup.Recorded> newest =
                    found.verdicts().stream()
                            .filter(r -> r.claim().created().isPresent())
                            .max(Comparator.comparing(r -> r.claim().created().orElseThrow()));
            if (newest.isEmpty()) {
                return Set.of();
            }
            return new LinkedHashSet<>(
                    VerdictArtifact.document(trusted, newest.get().manifest(), digest)
                            .findingKeys());
        } catch (ImageGateException e) {
            progress.info(
                    Message.neutralize(
                            "the findings of the previous digest "
                                    + digest.shortForm()
                                    + " cannot be read ("
                                    + e.message()
                                    + "); reporting no previous findings"));
            return Set.of();
        }
    }

    VerdictsResult verdicts(VerdictSpec spec) {
        ImageReference image = Specs.reference(Field.IMAGE, spec.image());
        List<PublicKeys.Key> keys =
                verificationKeys(
                        gate.settings().environment(), spec.verifyKeys(), Policy.defaults());
        try (RegistryClient client = gate.client(TransportListener.NONE)) {
            RemoteRepository repository = client.pull(image);
            Digest digest =
                    image.digest()
                            .orElseGet(
                                    () ->
                                            repository
                                                    .headManifest(image.manifestReference())
                                                    .orElseThrow(
                                                            () ->
                                                                    ImageGateException.notFound(
                                                                            "verdict.no-image",
                                                                            "the image {0} does not exist; check its name and tag",
                                                                            image))
                                                    .digest());
            // The same reading as the gate's: this repository and the quarantines its verdicts
            // name, dangling entries skipped.
            VerdictLookup.Found found =
                    VerdictLookup.read(
                            repository,
                            name ->
                                    client.pull(
                                            ImageReference.of(image.registry(), name, null, null)),
                            List.of(),
                            digest);
            List<StoredVerdict> out = new ArrayList<>();
            for (VerdictLookup.Recorded r : found.verdicts()) {
                RemoteRepository where =
                        client.pull(
                                ImageReference.of(
                                        image.registry(), r.claim().foundIn(), null, null));
                String text;
                try {
                    text =
                            r.document()
                                    .orElseGet(
                                            () ->
                                                    VerdictArtifact.document(
                                                            where, r.manifest(), digest))
                                    .text();
                } catch (ImageGateException e) {
                    if (e.kind() != ErrorKind.INTEGRITY && e.kind() != ErrorKind.NOT_FOUND) {
                        throw e;
                    }
                    text = "";
                }
                String verdict =
                        r.claim().passed() && !r.validPass()
                                ? "PASS (not valid: " + r.notAPass().orElse("") + ")"
                                : r.claim().verdict();
                String signature =
                        text.isEmpty()
                                ? "unsigned (its document cannot be read)"
                                : VerdictSignatures.describe(
                                        VerdictDocument.parse(
                                                        text.getBytes(
                                                                java.nio.charset.StandardCharsets
                                                                        .UTF_8),
                                                        digest,
                                                        r.claim().artifact().toString())
                                                .json(),
                                        found.attestations(),
                                        keys);
                out.add(
                        new StoredVerdict(
                                ImageReference.of(
                                                image.registry(),
                                                r.claim().foundIn(),
                                                null,
                                                r.claim().artifact())
                                        .toString(),
                                digest.toString(),
                                verdict,
                                r.claim().policyDigest(),
                                r.claim().date(),
                                text,
                                signature));
            }
            // newest first, by the parsed date of each verdict's own manifest; undated ones last
            out.sort(
                    Comparator.comparing((StoredVerdict v) -> parsedOrMin(v.created())).reversed());
            VerdictLookup.Answer answer =
                    VerdictLookup.decide(
                            found,
                            digest,
                            Optional.empty(),
                            Optional.empty(),
                            clock.instant(),
                            keys);
            return new VerdictsResult(
                    answer.vetted() ? Outcome.PASSED : Outcome.POLICY_FAILED,
                    Optional.empty(),
                    spec.image(),
                    digest.toString(),
                    out,
                    Optional.of(answer.reason()));
        }
    }

    private static Instant parsedOrMin(String text) {
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return Instant.MIN;
        }
    }

    /**
     * The gate's vetting check, whether it verifies verdict signatures, and the key files it
     * verifies them with (those given, then the policy's), which a fix names.
     */
    record Check(VettingCheck check, boolean verified, List<String> keyFiles) {}

    Check check(
            RegistryClient client, String policyFile, boolean anyPolicy, List<String> verifyKeys) {
        Environment env = gate.settings().environment();
        Policy policy = Scanning.policy(env, policyFile);
        List<PublicKeys.Key> keys = verificationKeys(env, verifyKeys, policy);
        return new Check(
                new RegistryVettingCheck(
                        client,
                        anyPolicy ? Optional.empty() : Optional.of(policy.identity()),
                        policy.maxVerdictAgeDuration(),
                        clock,
                        keys),
                !keys.isEmpty(),
                java.util.stream.Stream.concat(verifyKeys.stream(), policy.verdictKeys().stream())
                        .toList());
    }

    /**
     * The keys verdicts must be signed by: those given ({@code verifyKeys}, relative to the working
     * directory) and those the policy lists ({@code verdictKeys}, relative to the policy file),
     * each loaded and so checked now.
     */
    static List<PublicKeys.Key> verificationKeys(
            Environment env, List<String> verifyKeys, Policy policy) {
        List<PublicKeys.Key> keys = new ArrayList<>();
        for (String file : verifyKeys) {
            keys.add(
                    PublicKeys.load(
                            Path.of(env.workingDirectory()).resolve(file), Field.VERIFY_KEY));
        }
        for (String file : policy.verdictKeys()) {
            keys.add(PublicKeys.load(Path.of(file), "verdictKeys of the policy"));
        }
        return List.copyOf(keys);
    }
}
