package io.imagegate.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A transfer's rate is judged over the time it waits on its registry, never over time spent
 * elsewhere.
 */
class WatchdogTest {
    @Test
    void timeNotWaitingOnTheRegistryNeverCountsAgainstIt() throws Exception {
        try (Watchdog dog = new Watchdog(Duration.ofMillis(10))) {
            CountDownLatch cut = new CountDownLatch(1);
            Watchdog.Watch watch =
                    dog.transfer(
                            cut::countDown, Duration.ofMinutes(1), 1024, Duration.ofMillis(100));
            watch.stopWaiting(); // the body is busy with its source
            assertThat(cut.await(600, TimeUnit.MILLISECONDS))
                    .as("cut off while not waiting on the registry")
                    .isFalse();
            assertThat(watch.reason()).isNull();

            watch.waitOnRegistry(); // now it waits, and nothing comes
            assertThat(cut.await(5, TimeUnit.SECONDS))
                    .as("cut off once it waited a window for nothing")
                    .isTrue();
            assertThat(watch.reason()).isEqualTo(Watchdog.Reason.STALLED);
        }
    }

    @Test
    void bytesMovedWhileWaitingKeepATransferAlive() throws Exception {
        try (Watchdog dog = new Watchdog(Duration.ofMillis(10))) {
            CountDownLatch cut = new CountDownLatch(1);
            Watchdog.Watch watch =
                    dog.transfer(
                            cut::countDown, Duration.ofMinutes(1), 1024, Duration.ofSeconds(1));
            // 1 KiB every 100 ms is 10 KiB/s, well above the 1 KiB/s floor
            for (int i = 0; i < 15; i++) {
                Thread.sleep(100);
                watch.moved(1024);
            }
            assertThat(cut.getCount()).isEqualTo(1);
            assertThat(watch.reason()).isNull();
            watch.close();
        }
    }
}
