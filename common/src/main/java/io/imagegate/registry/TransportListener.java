package io.imagegate.registry;

import java.time.Duration;

/**
 * Events from the HTTP layer, for counting requests and showing waits. Default methods do nothing.
 */
public interface TransportListener {
    TransportListener NONE = new TransportListener() {};

    /** A request got a response (before any retry or re-authentication). */
    default void requestCompleted(String host, String method, String path, int status) {}

    /** A request failed and is retried after {@code delay}. */
    default void retrying(
            String host, String method, String path, String reason, Duration delay, int attempt) {}

    /** Docker Hub reported its pull limit ({@code ratelimit-remaining}). */
    default void rateLimit(String host, int remaining, int limit) {}
}
