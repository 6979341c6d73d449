package io.imagegate.copy;

import io.imagegate.oci.Platform;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import java.time.Duration;
import java.util.Map;

/**
 * What an import did.
 *
 * @param target the target tag with the digest it now holds
 * @param sourceDigest the digest the source resolved to
 * @param mediaType the media type of the target's top manifest
 * @param platformDigests the manifest digest per platform (empty for a single manifest, or when up
 *     to date)
 * @param upToDate the target already held the image: nothing was copied
 * @param copied blobs downloaded and uploaded
 * @param mounted blobs mounted within the registry
 * @param present blobs the target already had
 * @param referrers referrers and legacy signature tags carried into the target (those it lacked)
 * @param requests HTTP requests sent (pings and token requests included)
 * @param duration wall time of the import
 */
public record CopyResult(
        ImageReference target,
        Digest sourceDigest,
        String mediaType,
        Map<Platform, Digest> platformDigests,
        boolean upToDate,
        BlobCount copied,
        BlobCount mounted,
        BlobCount present,
        int referrers,
        long requests,
        Duration duration) {
    public CopyResult {
        platformDigests = Map.copyOf(platformDigests);
    }

    /** A number of blobs and their total size. */
    public record BlobCount(int blobs, long bytes) {
        public static final BlobCount ZERO = new BlobCount(0, 0);

        BlobCount plus(long size) {
            return new BlobCount(blobs + 1, bytes + Math.max(0, size));
        }
    }

    /**
     * Whether the target's digest differs from the source's (a platform subset makes a new index).
     */
    public boolean digestChanged() {
        return target.digest().map(d -> !d.equals(sourceDigest)).orElse(false);
    }
}
