package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.SyncShard;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sync-report refuses to merge what is not one run: summaries of different sync files, or of shards
 * that split the file differently. The summaries are real ones, written by shards that hold none of
 * the file's images (so no registry is reached).
 */
class SyncReportCommandTest {
    private static final String TARGET = "registry.invalid/base/app:1";

    @TempDir Path dir;

    /**
     * An index of {@code count} shards that does not hold {@link #TARGET}: it has nothing to do.
     */
    private static int idle(int count) {
        return (SyncShard.of(TARGET, count) + 1) % count;
    }

    private Path syncFile(String name, String comment) throws Exception {
        return Files.writeString(
                dir.resolve(name),
                "# "
                        + comment
                        + "\nimages:\n  - source: registry.invalid/library/app:1\n    target: "
                        + TARGET
                        + "\n");
    }

    private Path summary(Path file, int index, int count, String name) {
        Path out = dir.resolve(name);
        CliRun sync =
                CliRun.of(
                        "sync",
                        file.toString(),
                        "--shard",
                        index + "/" + count,
                        "--summary-json",
                        out.toString());
        assertThat(sync.exitCode()).as(sync.out() + sync.err()).isZero();
        assertThat(out).isRegularFile();
        return out;
    }

    @Test
    void summariesOfDifferentSyncFilesAreRefusedNamingBothSummariesAndFiles() throws Exception {
        Path a = syncFile("a.yaml", "one");
        Path b = syncFile("b.yaml", "another");
        Path ofA = summary(a, idle(2), 2, "a-summary.json");
        Path ofB = summary(b, idle(2), 2, "b-summary.json");
        CliRun mixed = CliRun.of("sync-report", ofA.toString(), ofB.toString());
        assertThat(mixed.exitCode()).as(mixed.out() + mixed.err()).isEqualTo(2);
        assertThat(mixed.err())
                .contains(ofA.toString())
                .contains(ofB.toString())
                .contains("a.yaml")
                .contains("b.yaml")
                .contains("same file")
                .doesNotContain("\tat ");
        assertThat(mixed.out()).doesNotContain("PASS");
    }

    @Test
    void summariesOfDifferentShardCountsAreRefusedNamingBothSummaries() throws Exception {
        Path file = syncFile("sync.yaml", "one file");
        Path ofTwo = summary(file, idle(2), 2, "of-two.json");
        Path ofThree = summary(file, idle(3), 3, "of-three.json");

        CliRun mixed = CliRun.of("sync-report", ofTwo.toString(), ofThree.toString());
        assertThat(mixed.exitCode()).as(mixed.out() + mixed.err()).isEqualTo(2);
        assertThat(mixed.err())
                .contains(ofTwo.toString())
                .contains(ofThree.toString())
                .contains(idle(2) + "/2")
                .contains(idle(3) + "/3")
                .doesNotContain("\tat ");

        // whichever comes first
        CliRun reversed = CliRun.of("sync-report", ofThree.toString(), ofTwo.toString());
        assertThat(reversed.exitCode()).isEqualTo(2);
        assertThat(reversed.err()).contains(ofTwo.toString()).contains(ofThree.toString());
    }
}
