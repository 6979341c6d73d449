package io.imagegate.copy;

import io.imagegate.oci.Descriptor;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.TransportListener;

/**
 * Progress of an import, for the CLI, the Maven log and the Jenkins console. Blob events come from
 * several threads at once: implementations must be thread-safe. Every method has a no-op default.
 */
public interface ImportListener extends TransportListener {
    ImportListener NONE = new ImportListener() {};

    /** The source tag was resolved to a digest; the copy works on that digest only. */
    default void sourceResolved(ImageReference source, Descriptor manifest) {}

    /** The plan: how many blobs and bytes the selected manifests reference. */
    default void planned(int manifests, int blobs, long bytes) {}

    /** The target tag already holds the source's digest: nothing is copied. */
    default void upToDate(ImageReference target, Digest digest) {}

    default void blobStarted(Descriptor blob) {}

    /** {@code bytes} more of {@code blob} were uploaded. */
    default void blobProgress(Descriptor blob, long bytes) {}

    default void blobFinished(Descriptor blob, BlobOutcome outcome) {}

    /**
     * Referrers (and legacy signature tags) the target lacks are about to be copied, with so many
     * blobs and bytes.
     */
    default void referrersPlanned(int referrers, int blobs, long bytes) {}

    /** A manifest or index was written to the target ({@code reference} is a digest or the tag). */
    default void manifestPushed(ImageReference target, String reference, Descriptor manifest) {}
}
