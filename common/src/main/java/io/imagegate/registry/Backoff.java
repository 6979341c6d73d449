package io.imagegate.registry;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter, shared per host: when a host says "slow down" (429, 503
 * with {@code Retry-After}), every request to it waits, not only the one that was told.
 */
final class Backoff {
    private static final Duration BASE = Duration.ofMillis(200);
    private static final Duration MAX = Duration.ofSeconds(30);
    private final ConcurrentMap<String, Instant> pausedUntil = new ConcurrentHashMap<>();

    /** The wait before retry number {@code attempt} (1-based) without a server hint. */
    Duration delay(int attempt) {
        long cap = Math.min(MAX.toMillis(), BASE.toMillis() << Math.min(attempt - 1, 16));
        return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
    }

    /** Makes every request to {@code host} wait until {@code delay} from now. */
    void pause(String host, Duration delay) {
        Instant until = Instant.now().plus(delay);
        pausedUntil.merge(host, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Blocks while {@code host} is paused. */
    void await(String host) throws InterruptedException {
        Instant until = pausedUntil.get(host);
        if (until == null) {
            return;
        }
        long millis = Duration.between(Instant.now(), until).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        } else {
            pausedUntil.remove(host, until);
        }
    }

    /** Longer than any wait anyone means: what an overflowing {@code Retry-After} is read as. */
    static final Duration FOREVER = Duration.ofDays(365_000);

    /**
     * Parses {@code Retry-After}: delta-seconds or an HTTP date; a number too large to hold reads
     * as {@link #FOREVER}.
     */
    static Optional<Duration> parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.matches("\\d+")) {
            if (v.length() > 12) {
                return Optional.of(FOREVER);
            }
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(Instant.now(), at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException | ArithmeticException notDate) {
            return Optional.empty();
        }
    }
}
