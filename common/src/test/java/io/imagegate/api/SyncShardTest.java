package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Which images a shard takes, and how INDEX/COUNT is read. */
class SyncShardTest {
    private static Environment env(Map<String, String> variables) {
        return Environment.of(variables, "/home", "/work", "/tmp");
    }

    @Test
    void everyImageFallsInExactlyOneShardByItsTargetRepositoryWhateverTheOrder() {
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            targets.add("registry.example.com/team" + (i % 7) + "/image" + i + ":" + (i % 3));
        }
        for (int count : List.of(1, 2, 3, 8)) {
            int[] per = new int[count];
            for (String t : targets) {
                int held = 0;
                for (int index = 0; index < count; index++) {
                    if (new SyncShard(index, count).holds(t)) {
                        held++;
                        per[index]++;
                    }
                }
                assertThat(held).as(t).isEqualTo(1);
            }
            // spread: no shard empty or holding nearly all of 300
            for (int n : per) {
                assertThat(n).isBetween(300 / count / 3, 300 / count * 3);
            }
        }
        // the same repository, any tag or spelling of the registry: the same shard
        assertThat(SyncShard.of("Registry.Example.com/base/alpine:3.20", 5))
                .isEqualTo(SyncShard.of("registry.example.com/base/alpine:3.21", 5));
        assertThat(SyncShard.of("alpine:3", 4))
                .isEqualTo(SyncShard.of("docker.io/library/alpine:4", 4));
        // independent of order: a shuffled list assigns each the same
        List<String> shuffled = new ArrayList<>(targets);
        Collections.shuffle(shuffled, new Random(7));
        for (String t : shuffled) {
            assertThat(SyncShard.of(t, 3)).isEqualTo(SyncShard.of(t, 3));
        }
    }

    @Test
    void theIndexComesFromTheCommandLineOrAnIndexedJobsEnvironment() {
        assertThat(SyncShard.parse("2/4", env(Map.of()))).isEqualTo(new SyncShard(2, 4));
        assertThat(SyncShard.parse("auto/4", env(Map.of("JOB_COMPLETION_INDEX", "3"))))
                .isEqualTo(new SyncShard(3, 4));
        assertThat(SyncShard.parse("0/1", env(Map.of()))).isEqualTo(SyncShard.ALL);
    }

    @Test
    void badShardsAreUsageErrorsNamingTheInput() {
        for (Object[] c :
                new Object[][] {
                    {"4/4", Map.of(), "must be below the count 4"},
                    {"0/0", Map.of(), "between 1 and"},
                    {"x/3", Map.of(), "INDEX of the shard"},
                    {"1", Map.of(), "is not INDEX/COUNT"},
                    {"-1/3", Map.of(), "INDEX of the shard"},
                    {"auto/3", Map.of(), "which is not set"},
                    {"auto/3", Map.of("JOB_COMPLETION_INDEX", "two"), "\"two\", not a number"},
                    {"auto/3", Map.of("JOB_COMPLETION_INDEX", "3"), "must be below the count 3"},
                }) {
            @SuppressWarnings("unchecked")
            Map<String, String> variables = (Map<String, String>) c[1];
            assertThatThrownBy(() -> SyncShard.parse((String) c[0], env(variables)))
                    .as((String) c[0])
                    .isInstanceOfSatisfying(
                            ImageGateException.class,
                            e -> {
                                assertThat(e.kind()).isEqualTo(ErrorKind.USAGE);
                                assertThat(e.field()).contains(Field.SHARD);
                                assertThat(e.getMessage()).contains((String) c[2]);
                            });
        }
    }
}
