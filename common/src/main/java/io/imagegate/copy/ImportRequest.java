package io.imagegate.copy;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to import. How blobs go up (one PUT, or chunks) is a setting of the target registry ({@link
 * io.imagegate.registry.RegistryConfig#chunkSize()}).
 *
 * @param source the image to copy, by tag or digest
 * @param target where to put it: a tag in the target registry
 * @param platforms the platforms to keep from a multi-arch index; empty keeps the index whole
 *     (digest unchanged)
 * @param force overwrite a target tag that holds a different image
 * @param parallelism blobs copied at once
 * @param timeout the longest the whole import may take
 * @param referrers which of the source's referrers (signatures, attestations, SBOMs) travel with
 *     the image
 */
public record ImportRequest(
        ImageReference source,
        ImageReference target,
        List<Platform> platforms,
        boolean force,
        int parallelism,
        Duration timeout,
        ReferrerMode referrers) {
    public static final int DEFAULT_PARALLELISM = 6;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);

    public ImportRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        platforms = List.copyOf(platforms);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        referrers = referrers == null ? ReferrerMode.ALL : referrers;
        // User input in every front end (--parallel, a POM parameter, a step argument): a one-line
        // error, not a bug.
        if (parallelism < 1 || parallelism > 64) {
            throw ImageGateException.usage(
                    Field.PARALLEL,
                    "import.parallel-range",
                    "the number of blobs copied at once ({0}) must be between 1 and 64, not {1}",
                    Field.PARALLEL,
                    parallelism);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw ImageGateException.usage(
                    Field.TIMEOUT,
                    "import.timeout-range",
                    "the import timeout ({0}) must be positive",
                    Field.TIMEOUT);
        }
    }

    public static ImportRequest of(ImageReference source, ImageReference target) {
        return new ImportRequest(
                source,
                target,
                List.of(),
                false,
                DEFAULT_PARALLELISM,
                DEFAULT_TIMEOUT,
                ReferrerMode.ALL);
    }

    public ImportRequest withPlatforms(List<Platform> selected) {
        return new ImportRequest(source, target, selected, force, parallelism, timeout, referrers);
    }

    public ImportRequest withForce(boolean overwrite) {
        return new ImportRequest(
                source, target, platforms, overwrite, parallelism, timeout, referrers);
    }

    public ImportRequest withParallelism(int blobsAtOnce) {
        return new ImportRequest(source, target, platforms, force, blobsAtOnce, timeout, referrers);
    }

    public ImportRequest withTimeout(Duration limit) {
        return new ImportRequest(source, target, platforms, force, parallelism, limit, referrers);
    }

    public ImportRequest withReferrers(ReferrerMode mode) {
        return new ImportRequest(source, target, platforms, force, parallelism, timeout, mode);
    }
}
