package io.imagegate.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.message.ImageGateException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The scheduling alone: which scans may update the DB, and how many run at once (the scans here are
 * stand-ins).
 */
class ScanSchedulerTest {
    private static final TrivyOptions UPDATING =
            new TrivyOptions(
                    Path.of("cache"),
                    false,
                    false,
                    false,
                    Optional.empty(),
                    Duration.ofMinutes(1),
                    Set.of(),
                    Optional.empty());
    private static final ScanReport REPORT = new ScanReport("x", Optional.empty(), List.of());

    @Test
    void onlyTheFirstScanUpdatesTheDbAndTheOthersWaitForIt() throws Exception {
        ScanScheduler scheduler = new ScanScheduler(4);
        List<Boolean> updates = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger runningDuringUpdate = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        Function<TrivyOptions, ScanReport> scan =
                o -> {
                    updates.add(o.updatesDb());
                    int now = running.incrementAndGet();
                    try {
                        if (o.updatesDb()) {
                            firstStarted.countDown();
                            await(releaseFirst);
                            runningDuringUpdate.set(now);
                        }
                        return REPORT;
                    } finally {
                        running.decrementAndGet();
                    }
                };
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<ScanReport>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(pool.submit(() -> scheduler.run(UPDATING, scan)));
            }
            assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200); // the others had time to start, had they not waited
            assertThat(updates).containsExactly(true);
            releaseFirst.countDown();
            for (Future<ScanReport> f : futures) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isSameAs(REPORT);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(updates).hasSize(6);
        assertThat(updates.stream().filter(u -> u)).hasSize(1);
        assertThat(runningDuringUpdate.get()).isEqualTo(1);
    }

    @Test
    void whenTheUpdatingScanFailsTheNextOneUpdates() {
        ScanScheduler scheduler = new ScanScheduler(2);
        List<Boolean> updates = new ArrayList<>();
        assertThatThrownBy(
                        () ->
                                scheduler.run(
                                        UPDATING,
                                        o -> {
                                            updates.add(o.updatesDb());
                                            throw ImageGateException.internal(
                                                    "x", "the DB download failed");
                                        }))
                .isInstanceOf(ImageGateException.class);
        scheduler.run(
                UPDATING,
                o -> {
                    updates.add(o.updatesDb());
                    return REPORT;
                });
        scheduler.run(
                UPDATING,
                o -> {
                    updates.add(o.updatesDb());
                    return REPORT;
                });
        assertThat(updates).containsExactly(true, true, false);
    }

    @Test
    void withoutUpdatesScansRunSideBySideUpToTheBound() throws Exception {
        ScanScheduler scheduler = new ScanScheduler(3);
        TrivyOptions offline = TrivyOptions.offline(Path.of("cache"));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch threeIn = new CountDownLatch(3);
        Function<TrivyOptions, ScanReport> scan =
                o -> {
                    int now = running.incrementAndGet();
                    most.accumulateAndGet(now, Math::max);
                    threeIn.countDown();
                    await(threeIn); // the first three run together, or this never returns
                    sleep(50);
                    running.decrementAndGet();
                    return REPORT;
                };
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ScanReport>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> scheduler.run(offline, scan)));
            }
            for (Future<ScanReport> f : futures) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(most.get()).isEqualTo(3);
    }

    @Test
    void aServerScanNeverUpdatesTheLocalDb() {
        TrivyOptions server =
                UPDATING.withServer(new TrivyOptions.Server("http://127.0.0.1:1", "t"));
        assertThat(server.updatesDb()).isFalse();
        assertThat(UPDATING.updatesDb()).isTrue();
        assertThat(UPDATING.withoutDbUpdates().updatesDb()).isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
