package io.imagegate.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class ProgressLogTest {
    @Test
    void sizesReadLikeTheFormatterWouldPrintThem() {
        assertThat(ProgressLog.size(-1)).isEqualTo("unknown size");
        assertThat(ProgressLog.size(0)).isEqualTo("0 B");
        assertThat(ProgressLog.size(1023)).isEqualTo("1023 B");
        assertThat(ProgressLog.size(1024)).isEqualTo("1.0 KiB");
        assertThat(ProgressLog.size(1536)).isEqualTo("1.5 KiB");
        assertThat(ProgressLog.size(8L << 20)).isEqualTo("8.0 MiB");
        assertThat(ProgressLog.size((1L << 30) - 1)).isEqualTo("1024.0 MiB");
        assertThat(ProgressLog.size(5L << 40)).isEqualTo("5.0 TiB");
    }

    @Test
    void eachCopyIsCountedAfreshWhenOneLogFollowsSeveral() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        ProgressLog log = new ProgressLog(lines::add);
        io.imagegate.oci.Descriptor blob =
                new io.imagegate.oci.Descriptor(
                        "application/octet-stream",
                        io.imagegate.reference.Digest.sha256(new byte[] {1}),
                        1,
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        java.util.Map.of());
        for (int copy = 0; copy < 2; copy++) {
            log.planned(1, 1, 1);
            log.blobFinished(blob, BlobOutcome.COPIED);
        }
        assertThat(lines).filteredOn(l -> l.contains("]")).allMatch(l -> l.startsWith("  [1/1] "));
    }

    @Test
    void decimalsMatchStringFormat() {
        double[] values = {0, 0.04, 0.05, 0.949, 0.95, 1.25, 9.999, 12.345, 1023.96, 6.08};
        for (double value : values) {
            assertThat(ProgressLog.decimal(value, 1))
                    .as("%s", value)
                    .isEqualTo(String.format(Locale.ROOT, "%.1f", value));
            assertThat(ProgressLog.decimal(value, 2))
                    .as("%s", value)
                    .isEqualTo(String.format(Locale.ROOT, "%.2f", value));
        }
    }
}
