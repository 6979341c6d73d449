package io.imagegate.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void retryAfterInSecondsOrAsDate() {
        assertThat(Backoff.parseRetryAfter("3")).contains(Duration.ofSeconds(3));
        assertThat(Backoff.parseRetryAfter(" 0 ")).contains(Duration.ZERO);
        String inTenSeconds =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(10));
        assertThat(Backoff.parseRetryAfter(inTenSeconds).orElseThrow())
                .isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
        assertThat(Backoff.parseRetryAfter("soon")).isEmpty();
        assertThat(Backoff.parseRetryAfter(null)).isEmpty();
    }

    @Test
    void delaysGrowAndStayCapped() {
        Backoff backoff = new Backoff();
        assertThat(backoff.delay(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(backoff.delay(4)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1600));
        assertThat(backoff.delay(40)).isLessThanOrEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aPauseMakesEveryRequestToTheHostWait() throws InterruptedException {
        Backoff backoff = new Backoff();
        backoff.pause("h:1", Duration.ofMillis(300));
        long start = System.nanoTime();
        backoff.await("h:1");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isGreaterThanOrEqualTo(Duration.ofMillis(250));
        long other = System.nanoTime();
        backoff.await("other:1");
        assertThat(Duration.ofNanos(System.nanoTime() - other)).isLessThan(Duration.ofMillis(100));
    }
}
