package io.imagegate.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.ImageGateException;
import io.imagegate.Json;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Copies an image from one repository to another without a Docker daemon, like {@code crane copy} or
 * {@code az acr import}.
 *
 * <p>The source tag is resolved to a digest once and everything after works on that digest. Blobs are copied
 * in parallel, largest first; a manifest is pushed only after all its blobs exist, an index after its
 * manifests, and the tag last, so a failed import never leaves a tag pointing at partial content.
 */
public final class ImageImporter {
    private static final ObjectMapper JSON = Json.MAPPER;
    /** Whole-blob attempts after a transfer broke off (requests with replayable bodies retry on their own). */
    private static final int BLOB_ATTEMPTS = 3;

    private final RegistryClient client;
    private final ImportListener listener;

    public ImageImporter(RegistryClient client, ImportListener listener) {
        this.client = client;
        this.listener = listener;
    }

    public ImportResult importImage(ImportRequest request) {
        Instant start = Instant.now();
        long requestsBefore = client.requestCount();
        ImageReference source = request.source();
        ImageReference target = request.target();
        if (target.isPinned()) {
            throw new ImageGateException("the import target \"" + target + "\" has a digest; name a tag"
                    + " (the digest comes from the source)");
        }
        boolean sameRegistry = source.registry().equals(target.registry());
        RemoteRepository from = client.pull(source);
        RemoteRepository to = sameRegistry && !source.repository().equals(target.repository())
                ? client.push(target, source.repository()) : client.push(target);

        ExecutorService pool = newPool(request.parallelism());
        try {
            return importImage(request, from, to, pool, start, requestsBefore);
        } finally {
            pool.shutdownNow();
        }
    }

    private ImportResult importImage(ImportRequest request, RemoteRepository from, RemoteRepository to, ExecutorService pool,
                                     Instant start, long requestsBefore) {
        ImageReference source = request.source();
        ImageReference target = request.target();
        String targetTag = target.tag().orElseThrow();
        boolean sameRegistry = source.registry().equals(target.registry());
        // Whether the target already has the tag is asked at once, beside resolving the source: the two
        // registries' pings and HEADs overlap instead of queueing.
        Future<Optional<Descriptor>> targetHead = pool.submit(() -> to.headManifest(targetTag));

        // 1. Resolve the source once: a HEAD for a tag (HEADs don't count against Docker Hub's pull limit).
        Descriptor top;
        Manifest topManifest = null;
        Digest wanted;
        try {
            top = source.digest().isPresent() && request.platforms().isEmpty()
                    ? new Descriptor("", source.digest().get(), -1)
                    : from.headManifest(source.manifestReference()).orElseThrow(() -> new RegistryException(
                            "the source image " + source + " does not exist; check its name and tag", 404, "MANIFEST_UNKNOWN"));
            listener.sourceResolved(source, top);
            wanted = top.digest();
            if (!request.platforms().isEmpty()) {
                topManifest = selectPlatforms(from, source, from.getManifest(top.digest().toString()), request.platforms());
                wanted = topManifest.digest();
            }
        } catch (RuntimeException e) {
            // Let the target's HEAD finish rather than break its connection mid-request (and report a retry).
            settle(targetHead);
            throw e;
        }

        // 2. Is the target already there?
        Optional<Descriptor> existing = await(targetHead);
        if (existing.isPresent()) {
            if (existing.get().digest().equals(wanted)) {
                listener.upToDate(target, wanted);
                return new ImportResult(target.withDigest(wanted), top.digest(), existing.get().mediaType(), Map.of(), true,
                        ImportResult.BlobCount.ZERO, ImportResult.BlobCount.ZERO, ImportResult.BlobCount.ZERO,
                        client.requestCount() - requestsBefore, Duration.between(start, Instant.now()));
            }
            if (!request.force()) {
                throw new ImageGateException("the target " + target + " already holds " + existing.get().digest()
                        + ", not the source's " + wanted + "; import to another tag, or force the overwrite (--force)");
            }
        }

        // 3. Plan: every manifest under the top one, children before parents.
        if (topManifest == null) {
            topManifest = from.getManifest(top.digest().toString());
        }
        List<Manifest> children = new ArrayList<>();
        Map<Platform, Digest> platformDigests = new LinkedHashMap<>();
        Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
        collect(from, topManifest, children, platformDigests, blobs, 0, pool);
        long totalBytes = blobs.values().stream().mapToLong(d -> Math.max(0, d.size())).sum();
        listener.planned(children.size() + 1, blobs.size(), totalBytes);

        // 4. Blobs, largest first, a bounded number at once.
        Map<BlobOutcome, ImportResult.BlobCount> counts = copyBlobs(request, from, to, sameRegistry, blobs.values(), pool);

        // 5. Manifests bottom-up, then the tag: image manifests at once (each needs only its blobs), then any
        // nested indexes in order (each after the manifests it lists), then the top one under the tag.
        List<Future<?>> pushes = new ArrayList<>();
        for (Manifest child : children) {
            if (!child.isIndex()) {
                pushes.add(pool.submit(() -> pushManifest(to, target, child)));
            }
        }
        pushes.forEach(ImageImporter::await);
        for (Manifest child : children) {
            if (child.isIndex()) {
                pushManifest(to, target, child);
            }
        }
        to.putManifest(targetTag, topManifest);
        listener.manifestPushed(target, targetTag, topManifest.descriptor());

        return new ImportResult(target.withDigest(topManifest.digest()), top.digest(), topManifest.mediaType(),
                platformDigests, false,
                counts.getOrDefault(BlobOutcome.COPIED, ImportResult.BlobCount.ZERO),
                counts.getOrDefault(BlobOutcome.MOUNTED, ImportResult.BlobCount.ZERO),
                counts.getOrDefault(BlobOutcome.PRESENT, ImportResult.BlobCount.ZERO),
                client.requestCount() - requestsBefore, Duration.between(start, Instant.now()));
    }

    private void pushManifest(RemoteRepository to, ImageReference target, Manifest manifest) {
        to.putManifest(manifest.digest().toString(), manifest);
        listener.manifestPushed(target, manifest.digest().toString(), manifest.descriptor());
    }

    /** The index reduced to the requested platforms, or the single manifest when it is of a requested platform. */
    private Manifest selectPlatforms(RemoteRepository from, ImageReference source, Manifest manifest, List<Platform> platforms) {
        if (!manifest.isIndex()) {
            Platform actual = platformOfImage(from, manifest);
            if (platforms.stream().noneMatch(p -> p.matches(actual))) {
                throw new ImageGateException("the source " + source + " is a single " + actual + " image, not "
                        + platforms.stream().map(Platform::toString).collect(Collectors.joining(", ")));
            }
            return manifest;
        }
        List<Descriptor> available = manifest.manifests();
        for (Platform wanted : platforms) {
            if (available.stream().noneMatch(d -> d.platform().map(wanted::matches).orElse(false))) {
                throw new ImageGateException("the source " + source + " has no " + wanted + " image; it has "
                        + available.stream().flatMap(d -> d.platform().stream()).map(Platform::toString).distinct()
                        .collect(Collectors.joining(", ")));
            }
        }
        return manifest.filterIndex(d -> d.platform().map(p -> platforms.stream().anyMatch(w -> w.matches(p))).orElse(false));
    }

    private Platform platformOfImage(RemoteRepository from, Manifest manifest) {
        Descriptor config = manifest.blobs().get(0);
        try (RemoteRepository.BlobDownload download = from.openBlob(config)) {
            JsonNode json = JSON.readTree(download.body().readNBytes(RemoteRepository.MAX_MANIFEST_BYTES));
            return new Platform(json.path("os").asText(""), json.path("architecture").asText(""), json.path("variant").asText(null));
        } catch (IOException e) {
            throw new RegistryException("reading the image config " + config.digest().shortForm() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Gathers the manifests under {@code manifest} (children before parents) and their blobs. The children of
     * an index are fetched in parallel on {@code pool}; this method itself runs on the calling thread.
     */
    private void collect(RemoteRepository from, Manifest manifest, List<Manifest> children, Map<Platform, Digest> platforms,
                         Map<Digest, Descriptor> blobs, int depth, ExecutorService pool) {
        if (depth > 4) {
            throw new ImageGateException("the index " + manifest.digest() + " nests indexes too deeply");
        }
        if (!manifest.isIndex()) {
            for (Descriptor blob : manifest.blobs()) {
                blobs.putIfAbsent(blob.digest(), blob);
            }
            return;
        }
        List<Future<Manifest>> fetches = new ArrayList<>();
        for (Descriptor child : manifest.manifests()) {
            fetches.add(pool.submit(() -> from.getManifest(child.digest().toString())));
        }
        for (int i = 0; i < fetches.size(); i++) {
            Descriptor child = manifest.manifests().get(i);
            Manifest childManifest = await(fetches.get(i));
            collect(from, childManifest, children, platforms, blobs, depth + 1, pool);
            children.add(childManifest);
            if (depth == 0) {
                child.platform().ifPresent(p -> platforms.put(p, child.digest()));
            }
        }
    }

    private Map<BlobOutcome, ImportResult.BlobCount> copyBlobs(ImportRequest request, RemoteRepository from, RemoteRepository to,
                                                               boolean sameRegistry, java.util.Collection<Descriptor> blobs,
                                                               ExecutorService pool) {
        List<Descriptor> ordered = new ArrayList<>(blobs);
        ordered.sort(Comparator.comparingLong(Descriptor::size).reversed());
        Map<BlobOutcome, ImportResult.BlobCount> counts = new java.util.EnumMap<>(BlobOutcome.class);
        if (ordered.isEmpty()) {
            return counts;
        }
        List<Future<BlobOutcome>> futures = new ArrayList<>();
        for (Descriptor blob : ordered) {
            futures.add(pool.submit(() -> copyBlob(request, from, to, sameRegistry, blob)));
        }
        for (int i = 0; i < futures.size(); i++) {
            BlobOutcome outcome = await(futures.get(i));
            counts.merge(outcome, ImportResult.BlobCount.ZERO.plus(ordered.get(i).size()),
                    (a, b) -> new ImportResult.BlobCount(a.blobs() + b.blobs(), a.bytes() + b.bytes()));
        }
        return counts;
    }

    /** The import's worker threads: {@code parallelism} of them, started as work arrives. */
    private static ExecutorService newPool(int parallelism) {
        AtomicInteger threadNumber = new AtomicInteger();
        return Executors.newFixedThreadPool(parallelism, r -> {
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

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageGateException("the import was interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof DigestMismatchException mismatch) {
                throw new ImageGateException("the import failed: " + mismatch.getMessage()
                        + "; nothing was tagged. The source registry or a proxy served corrupt content", mismatch);
            }
            throw new ImageGateException("the import failed: " + cause, cause);
        }
    }

    private BlobOutcome copyBlob(ImportRequest request, RemoteRepository from, RemoteRepository to, boolean sameRegistry,
                                 Descriptor blob) throws DigestMismatchException {
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
        for (int attempt = 1; ; attempt++) {
            String location = session.isPresent() ? session.get() : to.startUpload();
            session = Optional.empty();
            RemoteRepository.BlobDownload download = from.openBlob(blob);
            try {
                to.uploadBlob(blob, download.body(), location, request.chunkThreshold(), request.chunkSize(),
                        bytes -> listener.blobProgress(blob, bytes));
                download.close();
                listener.blobFinished(blob, BlobOutcome.COPIED);
                return BlobOutcome.COPIED;
            } catch (DigestMismatchException e) {
                download.abort();
                throw e;
            } catch (RegistryException e) {
                download.abort();
                // A broken transfer (no HTTP status) is worth another go; an HTTP error answer is final.
                if (e.status() != 0 || attempt >= BLOB_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
