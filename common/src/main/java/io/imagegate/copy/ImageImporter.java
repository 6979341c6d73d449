package io.imagegate.copy;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.Json;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.oci.Attestations;
import io.imagegate.oci.Descriptor;
import io.imagegate.oci.Manifest;
import io.imagegate.oci.Platform;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.DigestMismatchException;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.RegistryException;
import io.imagegate.registry.RemoteRepository;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Copies an image from one repository to another without a Docker daemon, like {@code crane copy}
 * or {@code az acr import}.
 *
 * <p>The source tag is resolved to a digest once and everything after works on that digest. Each
 * manifest is fetched once, however often an index lists it, within caps on manifests, blobs and
 * nesting. Blobs are copied in parallel, largest first; a manifest is pushed only after all its
 * blobs exist, an index after its manifests, and the tag last, so a failed import never leaves a
 * tag pointing at partial content. The whole import is bounded in time.
 */
public final class ImageImporter {
    /**
     * Whole-blob attempts after a transfer broke off (requests with replayable bodies retry on
     * their own).
     */
    private static final int BLOB_ATTEMPTS = 3;

    /**
     * An image with more distinct manifests or blobs than this is not an image anyone builds from.
     */
    public static final int MAX_MANIFESTS = 1024;

    public static final int MAX_BLOBS = 16_384;
    private static final int MAX_DEPTH = 4;
    private static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;

    private final RegistryClient client;
    private final ImportListener listener;

    public ImageImporter(RegistryClient client, ImportListener listener) {
        this.client = client;
        this.listener = listener;
    }

    public CopyResult importImage(ImportRequest request) {
        // The import's own requests: running out of time cuts off those, never those of other
        // imports on the same
        // client (a sync's, side by side), and the request count is this import's alone.
        try (RegistryClient own = client.scope()) {
            return new ImageImporter(own, listener).importWithin(request);
        }
    }

    private CopyResult importWithin(ImportRequest request) {
        Instant start = Instant.now();
        long requestsBefore = client.requestCount();
        ImageReference source = request.source();
        ImageReference target = request.target();
        if (target.isPinned()) {
            throw ImageGateException.usage(
                    Field.TARGET,
                    "import.target-pinned",
                    "the import target \"{0}\" ({1}) has a digest; name a tag (the digest comes from the source)",
                    target,
                    Field.TARGET);
        }
        boolean sameRegistry = source.registry().equals(target.registry());
        RemoteRepository from = client.pull(source);
        RemoteRepository to =
                sameRegistry && !source.repository().equals(target.repository())
                        ? client.push(target, source.repository())
                        : client.push(target);

        ExecutorService pool = newPool(request.parallelism());
        Deadline deadline = new Deadline(request.timeout(), client);
        try {
            return importImage(request, from, to, pool, deadline, start, requestsBefore);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The digest importing {@code request} would give its target, without copying anything: the
     * source's digest (one HEAD), or for a platform subset the digest of the reduced index (the
     * index is read).
     */
    public Digest wantedDigest(ImportRequest request) {
        if (request.platforms().isEmpty() && request.source().digest().isPresent()) {
            return request.source().digest().get();
        }
        return wantedDescriptor(request).digest();
    }

    /**
     * As {@link #wantedDigest}, with the media type and size of the manifest the target would get
     * (always asks the source).
     */
    public Descriptor wantedDescriptor(ImportRequest request) {
        ImageReference source = request.source();
        RemoteRepository from = client.pull(source);
        Descriptor top =
                from.headManifest(source.manifestReference())
                        .orElseThrow(
                                () ->
                                        new RegistryException(
                                                ErrorKind.NOT_FOUND,
                                                Message.of(
                                                        "import.source-missing",
                                                        "the source image {0} does not exist; check its name and tag",
                                                        source),
                                                404,
                                                "MANIFEST_UNKNOWN"));
        if (request.platforms().isEmpty()) {
            return top;
        }
        return selectPlatforms(
                        from,
                        source,
                        from.getManifest(top.digest().toString()),
                        request.platforms())
                .descriptor();
    }

    private CopyResult importImage(
            ImportRequest request,
            RemoteRepository from,
            RemoteRepository to,
            ExecutorService pool,
            Deadline deadline,
            Instant start,
            long requestsBefore) {
        ImageReference source = request.source();
        ImageReference target = request.target();
        String targetTag = target.tag().orElseThrow();
        boolean sameRegistry = source.registry().equals(target.registry());
        // Whether the target already has the tag is asked at once, beside resolving the source: the
        // two
        // registries' pings and HEADs overlap instead of queueing.
        Future<Optional<Descriptor>> targetHead = pool.submit(() -> to.headManifest(targetTag));

        // 1. Resolve the source once: a HEAD for a tag (HEADs don't count against Docker Hub's pull
        // limit).
        Descriptor top;
        Manifest topManifest = null;
        Digest wanted;
        try {
            top =
                    source.digest().isPresent() && request.platforms().isEmpty()
                            ? new Descriptor("", source.digest().get(), -1)
                            : from.headManifest(source.manifestReference())
                                    .orElseThrow(
                                            () ->
                                                    new RegistryException(
                                                            ErrorKind.NOT_FOUND,
                                                            Message.of(
                                                                    "import.source-missing",
                                                                    "the source image {0} does not exist; check its name and tag",
                                                                    source),
                                                            404,
                                                            "MANIFEST_UNKNOWN"));
            listener.sourceResolved(source, top);
            wanted = top.digest();
            if (!request.platforms().isEmpty()) {
                topManifest =
                        selectPlatforms(
                                from,
                                source,
                                from.getManifest(top.digest().toString()),
                                request.platforms());
                wanted = topManifest.digest();
            }
        } catch (RuntimeException e) {
            // Let the target's HEAD finish rather than break its connection mid-request (and report
            // a retry).
            settle(targetHead);
            throw e;
        }

        // 2. Is the target already there?
        Optional<Descriptor> existing = deadline.await(targetHead);
        if (existing.isPresent()) {
            if (existing.get().digest().equals(wanted)) {
                listener.upToDate(target, wanted);
                Digest held = wanted;
                // The image is there; what the source attached since (a new signature) still comes
                // along.
                ReferrerCopier.Carried carried =
                        carryReferrers(
                                request,
                                from,
                                to,
                                sameRegistry,
                                pool,
                                deadline,
                                () ->
                                        subjectsThere(
                                                to,
                                                existing.get(),
                                                held,
                                                request.platforms().isEmpty(),
                                                deadline));
                return new CopyResult(
                        target.withDigest(wanted),
                        top.digest(),
                        existing.get().mediaType(),
                        Map.of(),
                        true,
                        CopyResult.BlobCount.ZERO,
                        CopyResult.BlobCount.ZERO,
                        CopyResult.BlobCount.ZERO,
                        carried.total(),
                        client.requestCount() - requestsBefore,
                        Duration.between(start, Instant.now()));
            }
            if (!request.force()) {
                throw ImageGateException.of(
                        ErrorKind.CONFIGURATION,
                        "import.target-holds-other",
                        "the target {0} already holds {1}, not the source's {2}; import to another tag, or force the overwrite ({3})",
                        target,
                        existing.get().digest(),
                        wanted,
                        Field.FORCE);
            }
        }

        // 3. Plan: every distinct manifest under the top one, fetched once each, children before
        // parents.
        if (topManifest == null) {
            topManifest = from.getManifest(top.digest().toString());
        }
        Plan plan = new Plan();
        plan.collect(from, topManifest, 0, pool, deadline);
        // Per platform, the entry containerd selects (the first of that platform, proven
        // attestations left out); an index
        // that disguises an image as an attestation is refused here, before anything is copied.
        Map<Platform, Digest> platformDigests = new LinkedHashMap<>();
        if (topManifest.isIndex()) {
            Attestations.selectable(
                            topManifest,
                            d -> d.platform().isPresent(),
                            d ->
                                    Optional.ofNullable(plan.seen.get(d))
                                            .orElseGet(() -> from.getManifest(d.toString())),
                            source)
                    .forEach(d -> platformDigests.putIfAbsent(d.platform().get(), d.digest()));
        }
        long totalBytes = plan.blobs.values().stream().mapToLong(d -> Math.max(0, d.size())).sum();
        listener.planned(plan.children.size() + 1, plan.blobs.size(), totalBytes);

        // 4. Blobs, largest first, a bounded number at once.
        Map<BlobOutcome, CopyResult.BlobCount> counts =
                copyBlobs(request, from, to, sameRegistry, plan.blobs.values(), pool, deadline);

        // 5. Manifests bottom-up, then the tag: image manifests at once (each needs only its
        // blobs), then any
        // nested indexes in order (each after the manifests it lists), then the top one under the
        // tag.
        List<Future<?>> pushes = new ArrayList<>();
        for (Manifest child : plan.children) {
            if (!child.isIndex()) {
                pushes.add(pool.submit(() -> pushManifest(to, target, child)));
            }
        }
        pushes.forEach(deadline::await);
        for (Manifest child : plan.children) {
            if (child.isIndex()) {
                pushManifest(to, target, child);
            }
        }
        deadline.check();
        to.putManifest(targetTag, topManifest);
        listener.manifestPushed(target, targetTag, topManifest.descriptor());

        // 6. The referrers, once their subjects are there (registries may refuse a referrer of an
        // absent subject). A
        // platform subset's new index has none in the source; the images it keeps do.
        List<Digest> subjects = new ArrayList<>();
        if (request.platforms().isEmpty()) {
            subjects.add(topManifest.digest());
        }
        plan.children.forEach(c -> subjects.add(c.digest()));
        ReferrerCopier.Carried carried =
                carryReferrers(request, from, to, sameRegistry, pool, deadline, () -> subjects);

        return new CopyResult(
                target.withDigest(topManifest.digest()),
                top.digest(),
                topManifest.mediaType(),
                platformDigests,
                false,
                counts.getOrDefault(BlobOutcome.COPIED, CopyResult.BlobCount.ZERO),
                counts.getOrDefault(BlobOutcome.MOUNTED, CopyResult.BlobCount.ZERO),
                counts.getOrDefault(BlobOutcome.PRESENT, CopyResult.BlobCount.ZERO),
                carried.total(),
                client.requestCount() - requestsBefore,
                Duration.between(start, Instant.now()));
    }

    /**
     * Carries the source's referrers of {@code subjects} into the target, as the request's mode
     * says.
     */
    private ReferrerCopier.Carried carryReferrers(
            ImportRequest request,
            RemoteRepository from,
            RemoteRepository to,
            boolean sameRegistry,
            ExecutorService pool,
            Deadline deadline,
            java.util.function.Supplier<List<Digest>> subjects) {
        if (request.referrers() == ReferrerMode.NONE) {
            return ReferrerCopier.Carried.NONE;
        }
        ReferrerCopier copier =
                new ReferrerCopier(from, to, request.referrers(), request.target(), listener);
        ReferrerCopier.Carried carried =
                copier.copy(
                        subjects.get(),
                        new ReferrerCopier.Work() {
                            @Override
                            public <T> List<T> all(List<java.util.concurrent.Callable<T>> tasks) {
                                List<Future<T>> futures = tasks.stream().map(pool::submit).toList();
                                List<T> out = new ArrayList<>();
                                futures.forEach(f -> out.add(deadline.await(f)));
                                return out;
                            }

                            @Override
                            public void copyBlobs(Collection<Descriptor> blobs) {
                                ImageImporter.this.copyBlobs(
                                        request, from, to, sameRegistry, blobs, pool, deadline);
                            }
                        });
        deadline.check();
        return carried;
    }

    /**
     * The manifests of an image the target holds already, whose referrers are carried: the top one
     * (unless it is a platform subset's own index) and, for an index, every manifest under it; only
     * nested indexes are read for that.
     */
    private List<Digest> subjectsThere(
            RemoteRepository to,
            Descriptor top,
            Digest digest,
            boolean topIsTheSources,
            Deadline deadline) {
        List<Digest> out = new ArrayList<>();
        if (topIsTheSources) {
            out.add(digest);
        }
        if (!io.imagegate.oci.MediaTypes.isIndex(top.mediaType())) {
            return out;
        }
        List<Manifest> indexes = new ArrayList<>(List.of(to.getManifest(digest.toString())));
        Set<Digest> seen = new HashSet<>(out);
        for (int depth = 0; !indexes.isEmpty(); depth++) {
            if (depth > MAX_DEPTH) {
                throw ImageGateException.integrity(
                        "import.too-deep",
                        "the index {0} nests indexes more than {1} deep; refused",
                        digest,
                        MAX_DEPTH);
            }
            List<Manifest> next = new ArrayList<>();
            for (Manifest index : indexes) {
                for (Descriptor child : index.manifests()) {
                    if (seen.add(child.digest())) {
                        if (seen.size() > MAX_MANIFESTS) {
                            throw ImageGateException.integrity(
                                    "import.too-many-manifests",
                                    "the index lists more than {0} distinct manifests; refused",
                                    MAX_MANIFESTS);
                        }
                        out.add(child.digest());
                        if (io.imagegate.oci.MediaTypes.isIndex(child.mediaType())) {
                            next.add(to.getManifest(child.digest().toString()));
                        }
                    }
                }
            }
            deadline.check();
            indexes = next;
        }
        return out;
    }

    private void pushManifest(RemoteRepository to, ImageReference target, Manifest manifest) {
        to.putManifest(manifest.digest().toString(), manifest);
        listener.manifestPushed(target, manifest.digest().toString(), manifest.descriptor());
    }

    /**
     * The index reduced to the requested platforms, or the single manifest when it is of a
     * requested platform. Proven attestations are no platform's; an index that disguises an image
     * as an attestation is refused.
     */
    private Manifest selectPlatforms(
            RemoteRepository from,
            ImageReference source,
            Manifest manifest,
            List<Platform> platforms) {
        String wantedText =
                platforms.stream().map(Platform::toString).collect(Collectors.joining(", "));
        if (!manifest.isIndex()) {
            Platform actual = platformOfImage(from, manifest);
            if (platforms.stream().noneMatch(p -> p.matches(actual))) {
                throw ImageGateException.of(
                        ErrorKind.NOT_FOUND,
                        "import.single-platform",
                        "the source {0} is a single {1} image, not {2}",
                        source,
                        actual,
                        wantedText);
            }
            return manifest;
        }
        List<Descriptor> selected =
                Attestations.selectable(
                        manifest,
                        d ->
                                d.platform()
                                        .map(p -> platforms.stream().anyMatch(w -> w.matches(p)))
                                        .orElse(false),
                        d -> from.getManifest(d.toString()),
                        source);
        for (Platform wanted : platforms) {
            if (selected.stream().noneMatch(d -> wanted.matches(d.platform().orElseThrow()))) {
                throw ImageGateException.of(
                        ErrorKind.NOT_FOUND,
                        "import.no-platform",
                        "the source {0} has no {1} image; it has {2}",
                        source,
                        wanted,
                        manifest.manifests().stream()
                                .flatMap(d -> d.platform().stream())
                                .map(Platform::toString)
                                .distinct()
                                .collect(Collectors.joining(", ")));
            }
        }
        return manifest.filterIndex(selected::contains);
    }

    /** The platform an image's config declares, read verified against the config's digest. */
    private Platform platformOfImage(RemoteRepository from, Manifest manifest) {
        Descriptor config =
                manifest.config()
                        .orElseThrow(
                                () ->
                                        ImageGateException.integrity(
                                                "import.no-config",
                                                "the image {0} has no config, so its platform is unknown",
                                                manifest.digest()));
        byte[] bytes = from.fetchBlob(config, MAX_CONFIG_BYTES);
        try {
            JsonNode json = Json.MAPPER.readTree(bytes);
            return new Platform(
                    json.path("os").asText(""),
                    json.path("architecture").asText(""),
                    json.path("variant").asText(null));
        } catch (IOException e) {
            throw ImageGateException.integrity(
                    "import.config-not-json",
                    "the config {0} of the image {1} is not valid JSON",
                    config.digest().shortForm(),
                    manifest.digest());
        }
    }

    /**
     * The distinct manifests under the top one and their distinct blobs, within caps. {@code
     * children} is a post-order over the manifests' graph: each manifest after every manifest it
     * lists, however deep, even when an index is listed both by its parent and by a sibling (the
     * registry refuses an index whose manifests are not there yet).
     */
    private static final class Plan {
        final List<Manifest> children = new ArrayList<>();

        /** Every manifest fetched, by digest. */
        final Map<Digest, Manifest> seen = new LinkedHashMap<>();

        /**
         * The digests in {@code children}, or on their way there (their own children being
         * collected).
         */
        final Set<Digest> collected = new HashSet<>();

        final Map<Digest, Descriptor> blobs = new LinkedHashMap<>();

        void collect(
                RemoteRepository from,
                Manifest manifest,
                int depth,
                ExecutorService pool,
                Deadline deadline) {
            if (depth > MAX_DEPTH) {
                throw ImageGateException.integrity(
                        "import.too-deep",
                        "the index {0} nests indexes more than {1} deep; refused",
                        manifest.digest(),
                        MAX_DEPTH);
            }
            if (!manifest.isIndex()) {
                for (Descriptor blob : manifest.blobs()) {
                    blobs.putIfAbsent(blob.digest(), blob);
                }
                if (blobs.size() > MAX_BLOBS) {
                    throw ImageGateException.integrity(
                            "import.too-many-blobs",
                            "the image lists more than {0} distinct blobs; refused",
                            MAX_BLOBS);
                }
                return;
            }
            // Each digest once, however often (and however deep) the indexes list it.
            Map<Digest, Future<Manifest>> fetches = new LinkedHashMap<>();
            for (Descriptor child : manifest.manifests()) {
                if (!seen.containsKey(child.digest()) && !fetches.containsKey(child.digest())) {
                    if (seen.size() + fetches.size() >= MAX_MANIFESTS) {
                        throw ImageGateException.integrity(
                                "import.too-many-manifests",
                                "the index lists more than {0} distinct manifests; refused",
                                MAX_MANIFESTS);
                    }
                    fetches.put(
                            child.digest(),
                            pool.submit(() -> from.getManifest(child.digest().toString())));
                }
            }
            for (Map.Entry<Digest, Future<Manifest>> fetch : fetches.entrySet()) {
                Manifest childManifest = deadline.await(fetch.getValue());
                seen.put(fetch.getKey(), childManifest);
            }
            // Children first, in the order listed: one fetched under another index is collected
            // here if it is not yet.
            for (Descriptor child : manifest.manifests()) {
                if (collected.add(child.digest())) {
                    Manifest childManifest = seen.get(child.digest());
                    collect(from, childManifest, depth + 1, pool, deadline);
                    children.add(childManifest);
                }
            }
        }
    }

    private Map<BlobOutcome, CopyResult.BlobCount> copyBlobs(
            ImportRequest request,
            RemoteRepository from,
            RemoteRepository to,
            boolean sameRegistry,
            Collection<Descriptor> blobs,
            ExecutorService pool,
            Deadline deadline) {
        List<Descriptor> ordered = new ArrayList<>(blobs);
        ordered.sort(Comparator.comparingLong(Descriptor::size).reversed());
        Map<BlobOutcome, CopyResult.BlobCount> counts = new EnumMap<>(BlobOutcome.class);
        List<Future<BlobOutcome>> futures = new ArrayList<>();
        for (Descriptor blob : ordered) {
            futures.add(pool.submit(() -> copyBlob(request, from, to, sameRegistry, blob)));
        }
        for (int i = 0; i < futures.size(); i++) {
            BlobOutcome outcome = deadline.await(futures.get(i));
            counts.merge(
                    outcome,
                    CopyResult.BlobCount.ZERO.plus(ordered.get(i).size()),
                    (a, b) ->
                            new CopyResult.BlobCount(a.blobs() + b.blobs(), a.bytes() + b.bytes()));
        }
        return counts;
    }

    /** The import's worker threads: {@code parallelism} of them, started as work arrives. */
    private static ExecutorService newPool(int parallelism) {
        AtomicInteger threadNumber = new AtomicInteger();
        return Executors.newFixedThreadPool(
                parallelism,
                r -> {
                    Thread t = new Thread(r, "imagegate-import-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    private static void settle(Future<?> future) {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ignored) {
            // the import fails for another reason already
        }
    }

    /**
     * The import's overall bound: waits end at it, and running requests are cut off when it passes.
     */
    private static final class Deadline {
        private final long end;
        private final Duration limit;
        private final RegistryClient client;

        Deadline(Duration limit, RegistryClient client) {
            this.limit = limit;
            this.end = System.nanoTime() + limit.toNanos();
            this.client = client;
        }

        void check() {
            if (System.nanoTime() - end > 0) {
                throw expired();
            }
        }

        private ImageGateException expired() {
            client.abortAll();
            return ImageGateException.of(
                    ErrorKind.TRANSIENT,
                    "import.timeout",
                    "the import did not finish within {0} ({1}) and was stopped; nothing was tagged",
                    limit,
                    Field.TIMEOUT);
        }

        <T> T await(Future<T> future) {
            try {
                return future.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                throw expired();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                client.abortAll();
                throw ImageGateException.of(
                        ErrorKind.INTERRUPTED,
                        "import.interrupted",
                        "the import was interrupted; nothing was tagged");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (cause instanceof DigestMismatchException mismatch) {
                    throw new ImageGateException(
                            ErrorKind.INTEGRITY,
                            Message.of(
                                    "import.digest-mismatch",
                                    "the import failed: {0}; nothing was tagged. The source registry or a proxy served corrupt content",
                                    mismatch.getMessage()),
                            null,
                            mismatch);
                }
                throw ImageGateException.internal(
                                "import.failed", "the import failed: {0}", String.valueOf(cause))
                        .withCause(cause);
            }
        }
    }

    private BlobOutcome copyBlob(
            ImportRequest request,
            RemoteRepository from,
            RemoteRepository to,
            boolean sameRegistry,
            Descriptor blob)
            throws DigestMismatchException {
        listener.blobStarted(blob);
        if (to.hasBlob(blob.digest())) {
            listener.blobFinished(blob, BlobOutcome.PRESENT);
            return BlobOutcome.PRESENT;
        }
        Optional<String> session = Optional.empty();
        if (sameRegistry && !from.repository().equals(to.repository())) {
            session = to.mountBlob(blob.digest(), from.repository());
            if (session.isEmpty()) {
                listener.blobFinished(blob, BlobOutcome.MOUNTED);
                return BlobOutcome.MOUNTED;
            }
        }
        // Chunks only for a target registry configured for them (behind a proxy that caps request
        // bodies):
        // 64 MiB PATCH chunks made a 1 GiB layer 0.5 s slower against the distribution registry
        // (docs/performance.md).
        java.util.OptionalLong chunking = client.options().config(to.registry()).chunkSize();
        long chunkThreshold = chunking.orElse(Long.MAX_VALUE);
        long chunkSize = chunking.orElse(Long.MAX_VALUE);
        for (int attempt = 1; ; attempt++) {
            String location = session.isPresent() ? session.get() : to.startUpload();
            session = Optional.empty();
            RemoteRepository.BlobDownload download = from.openBlob(blob);
            try {
                to.uploadBlob(
                        blob,
                        download.body(),
                        location,
                        chunkThreshold,
                        chunkSize,
                        bytes -> listener.blobProgress(blob, bytes));
                download.close();
                listener.blobFinished(blob, BlobOutcome.COPIED);
                return BlobOutcome.COPIED;
            } catch (DigestMismatchException e) {
                download.abort();
                throw e;
            } catch (RegistryException e) {
                RegistryException reason = client.downloadFailure(download, from, blob).orElse(e);
                download.abort();
                // A broken transfer (no HTTP status) is worth another go; an HTTP error answer is
                // final.
                if (reason.status() != 0
                        || attempt >= BLOB_ATTEMPTS
                        || reason.kind() != ErrorKind.TRANSIENT) {
                    throw reason;
                }
            }
        }
    }
}
