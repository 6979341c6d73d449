package io.imagegate.copy;

import io.imagegate.ImageGateException;
import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;

import java.util.List;
import java.util.Objects;

/**
 * What to import.
 *
 * @param source         the image to copy, by tag or digest
 * @param target         where to put it: a tag in the target registry
 * @param platforms      the platforms to keep from a multi-arch index; empty keeps the index whole (digest unchanged)
 * @param force          overwrite a target tag that holds a different image
 * @param parallelism    blobs copied at once
 * @param chunkThreshold blobs larger than this are uploaded in chunks; by default none is
 * @param chunkSize      the size of one chunk
 */
public record ImportRequest(ImageReference source, ImageReference target, List<Platform> platforms, boolean force,
                            int parallelism, long chunkThreshold, long chunkSize) {
    public static final int DEFAULT_PARALLELISM = 6;
    /**
     * Every blob goes up in one monolithic PUT by default, streamed: 64 MiB PATCH chunks made a 1 GiB layer
     * 0.5 s slower against the distribution registry (bench/, docs/performance.md). Chunks are for registries
     * behind a proxy that caps request bodies ({@code --chunk-size}).
     */
    public static final long DEFAULT_CHUNK_THRESHOLD = Long.MAX_VALUE;
    public static final long DEFAULT_CHUNK_SIZE = 64L * 1024 * 1024;

    public ImportRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        platforms = List.copyOf(platforms);
        // User input in every front end (--parallel, a POM parameter, a step argument): a one-line error, not a bug.
        if (parallelism < 1) {
            throw new ImageGateException("the number of blobs copied at once must be at least 1, not " + parallelism);
        }
        if (chunkSize < 1 || chunkThreshold < 0) {
            throw new ImageGateException("the chunk size must be at least 1 byte and the chunk threshold not negative, not "
                    + chunkSize + " and " + chunkThreshold);
        }
    }

    public static ImportRequest of(ImageReference source, ImageReference target) {
        return new ImportRequest(source, target, List.of(), false, DEFAULT_PARALLELISM, DEFAULT_CHUNK_THRESHOLD, DEFAULT_CHUNK_SIZE);
    }

    public ImportRequest withPlatforms(List<Platform> selected) {
        return new ImportRequest(source, target, selected, force, parallelism, chunkThreshold, chunkSize);
    }

    public ImportRequest withForce(boolean overwrite) {
        return new ImportRequest(source, target, platforms, overwrite, parallelism, chunkThreshold, chunkSize);
    }

    public ImportRequest withParallelism(int blobsAtOnce) {
        return new ImportRequest(source, target, platforms, force, blobsAtOnce, chunkThreshold, chunkSize);
    }

    public ImportRequest withChunking(long threshold, long size) {
        return new ImportRequest(source, target, platforms, force, parallelism, threshold, size);
    }
}
