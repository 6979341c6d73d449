package io.imagegate.api;

/**
 * Where an operation reports progress, as lines for a person: bytes and layers copied, images
 * scanned, retries. Lines arrive from several threads; implementations must be thread-safe. Lines
 * are neutralised (no control characters) before they arrive.
 */
public interface ProgressListener {
    ProgressListener NONE = line -> {};

    /** A line worth showing by default (a Maven INFO line, a Jenkins console line). */
    void info(String line);

    /** A detail (a Maven DEBUG line). */
    default void debug(String line) {}
}
