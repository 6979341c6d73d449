package io.imagegate.registry;

/** How an exchange is bounded in time. */
public enum ExchangeKind {
    /**
     * A small exchange (ping, token, manifest, blob HEAD, upload start or commit): one deadline.
     */
    SMALL,
    /** A blob download: the body must keep up the minimum rate. */
    DOWNLOAD,
    /**
     * A blob upload: the request body must keep up the minimum rate, then the answer has a
     * deadline.
     */
    UPLOAD
}
