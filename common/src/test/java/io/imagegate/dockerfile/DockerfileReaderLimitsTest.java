package io.imagegate.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the reader is linear in its input (no per-character boxing, no backtracking regexp on a
 * line) and pathological inputs end in an error, not in minutes of CPU or gigabytes of memory.
 */
class DockerfileReaderLimitsTest {
    private static final Path FILE = Path.of("Dockerfile");

    private static List<ImageRef> read(String text) {
        return DockerfileReader.read(FILE, text, Map.of(), Optional.empty());
    }

    private static String ofSize(String unit, int bytes) {
        return unit.repeat(bytes / unit.length());
    }

    @Test
    void aFourMebibyteDockerfileIsReadInLinearTime() {
        String unit =
                "FROM alpine:3.20 AS s\nRUN echo hello world && apk add --no-cache curl jq \\\n    && echo done\n"
                        + "COPY --from=busybox:1.36 /bin/busybox /b\n";
        String quarter = ofSize(unit, DockerfileFiles.MAX_BYTES / 4);
        String stages = ofSize(unit, DockerfileFiles.MAX_BYTES);
        read(quarter); // warm up the JIT
        long start = System.nanoTime();
        read(quarter);
        long quarterMillis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        List<ImageRef> refs = read(stages);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(refs).hasSizeGreaterThan(20_000);
        // Linear: four times the text takes about four times as long (about 1 s for 4 MiB on the
        // 2-core machine).
        assertThat(millis)
                .as("ms for 4 MiB, against %d ms for 1 MiB", quarterMillis)
                .isLessThan(8 * quarterMillis + 2_000)
                .isLessThan(20_000);

        // One instruction of 4 MiB, continued over 100,000 lines.
        String continued =
                "FROM alpine\nRUN "
                        + ofSize("echo some words here \\\n", DockerfileFiles.MAX_BYTES - 20)
                        + "true\n";
        assertTimeoutPreemptively(
                Duration.ofSeconds(10), () -> assertThat(read(continued)).hasSize(1));
    }

    @Test
    void aLongSyntaxLineIsRefusedQuicklyAsBuildKitRefusesIt() {
        String text = "# syntax=" + "a".repeat(200_000) + "\nFROM alpine\n";
        assertTimeoutPreemptively(
                Duration.ofSeconds(2),
                () ->
                        assertThatThrownBy(() -> read(text))
                                .isInstanceOf(DockerfileException.class)
                                .hasMessageContaining("max allowed size of 65535"));
        // Within the limit, runs of spaces that make a backtracking regexp quadratic.
        String spaces =
                "# syntax=a"
                        + " ".repeat(60_000)
                        + "b\nFROM alpine\nRUN cat <<"
                        + " \t".repeat(30_000)
                        + "<x\n";
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> read(spaces));
    }

    @Test
    void aPatternThatWouldBacktrackForeverIsRefused() {
        String text = "ARG X=" + "a".repeat(3000) + "\nFROM ${X/*a*a*a*a*a*a*a*a*a*b/x}\n";
        assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () ->
                        assertThatThrownBy(() -> read(text))
                                .isInstanceOf(DockerfileException.class)
                                .hasMessageContaining("takes too long to match"));
    }
}
