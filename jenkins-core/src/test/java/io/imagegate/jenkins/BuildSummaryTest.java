package io.imagegate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The build summary as parallel branches use it: rows added while the build is being saved. */
class BuildSummaryTest {
    private static SummaryRow row(int n) {
        return new SummaryRow(
                "imagegateScan",
                "registry.example.com/base/app:" + n,
                "sha256:" + n,
                "PASS",
                "SUCCESS",
                "",
                List.of());
    }

    @Test
    void rowsAddedWhileTheSummaryIsWrittenNeverBreakTheWrite() throws Exception {
        BuildSummary summary = new BuildSummary();
        for (int i = 0; i < 200; i++) {
            summary.add(row(i));
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // Run.save() walks the action's fields (XStream); Java serialization walks the list the
        // same way, and a plain list
        // modified meanwhile throws ConcurrentModificationException.
        Thread saver =
                new Thread(
                        () -> {
                            try {
                                while (!done.get()) {
                                    try (ObjectOutputStream out =
                                            new ObjectOutputStream(new ByteArrayOutputStream())) {
                                        out.writeObject(summary);
                                    }
                                }
                            } catch (Throwable t) {
                                failure.set(t);
                            }
                        });
        saver.start();
        Thread[] branches = new Thread[4];
        for (int b = 0; b < branches.length; b++) {
            int base = 1000 * (b + 1);
            branches[b] =
                    new Thread(
                            () -> {
                                for (int i = 0; i < 500; i++) {
                                    summary.add(row(base + i));
                                }
                            });
            branches[b].start();
        }
        for (Thread branch : branches) {
            branch.join();
        }
        done.set(true);
        saver.join();

        assertThat(failure.get()).as("a save while branches add rows").isNull();
        assertThat(summary.getRows()).hasSize(200 + 4 * 500);
        assertThat(summary.getHeadline()).isEqualTo("2200 steps: 2200 PASS");
    }
}
