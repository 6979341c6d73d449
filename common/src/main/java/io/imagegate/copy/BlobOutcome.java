package io.imagegate.copy;

/** What happened to one blob of an import. */
public enum BlobOutcome {
    /** Downloaded from the source and uploaded to the target. */
    COPIED,
    /** Mounted from the source repository within the same registry: no bytes moved. */
    MOUNTED,
    /** The target already had it. */
    PRESENT
}
