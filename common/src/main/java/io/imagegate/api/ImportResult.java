package io.imagegate.api;

import io.imagegate.copy.ProgressLog;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Vocabulary;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What an import did.
 *
 * @param target the target reference with the digest it now holds ({@code host/repo:tag@sha256:…})
 * @param digest the digest the target holds
 * @param sourceDigest the digest the source resolved to (differs from {@code digest} for a platform
 *     subset)
 * @param mediaType the media type of the top manifest
 * @param platformDigests the manifest digest per platform ({@code linux/amd64} → digest) of a
 *     multi-arch image
 * @param upToDate the target already held the image: nothing was copied
 * @param copied blobs downloaded and uploaded
 * @param mounted blobs mounted within the registry
 * @param present blobs the target already had
 * @param referrers referrers (signatures, attestations, SBOMs) and cosign legacy tags carried into
 *     the target this time
 * @param requests HTTP requests sent
 * @param duration wall time
 */
public record ImportResult(
        Outcome outcome,
        Optional<ImageGateException> error,
        String target,
        String digest,
        String sourceDigest,
        String mediaType,
        Map<String, String> platformDigests,
        boolean upToDate,
        BlobCount copied,
        BlobCount mounted,
        BlobCount present,
        int referrers,
        long requests,
        Duration duration)
        implements OperationResult {
    /** A number of blobs and their total size. */
    public record BlobCount(int blobs, long bytes) implements java.io.Serializable {}

    public ImportResult {
        platformDigests = Map.copyOf(platformDigests);
    }

    static ImportResult failed(ImageGateException e) {
        BlobCount none = new BlobCount(0, 0);
        return new ImportResult(
                Outcome.ERROR,
                Optional.of(e),
                "",
                "",
                "",
                "",
                Map.of(),
                false,
                none,
                none,
                none,
                0,
                0,
                Duration.ZERO);
    }

    /**
     * One line for a console: {@code imported host/repo:tag@sha256:…: 7 blobs copied (68.1 MiB), …;
     * 31 requests, 2.41s}.
     */
    public String summary() {
        if (outcome == Outcome.ERROR) {
            return error.map(e -> e.render(Vocabulary.NEUTRAL)).orElse("failed");
        }
        String when = ProgressLog.decimal(duration.toMillis() / 1000.0, 2) + "s";
        if (upToDate) {
            return target
                    + " up to date"
                    + ProgressLog.carried(referrers)
                    + " ("
                    + requests
                    + " requests, "
                    + when
                    + ")";
        }
        return "imported "
                + target
                + ": "
                + copied.blobs()
                + " blobs copied ("
                + ProgressLog.size(copied.bytes())
                + "), "
                + mounted.blobs()
                + " mounted ("
                + ProgressLog.size(mounted.bytes())
                + "), "
                + present.blobs()
                + " already present"
                + ProgressLog.carried(referrers)
                + "; "
                + requests
                + " requests, "
                + when;
    }
}
