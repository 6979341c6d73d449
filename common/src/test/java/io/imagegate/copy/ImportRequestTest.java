package io.imagegate.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.reference.ImageReference;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ImportRequestTest {
    private final ImportRequest request =
            ImportRequest.of(
                    ImageReference.parse("alpine:3.20"),
                    ImageReference.parse("registry.example.com/base/alpine:3.20"));

    @Test
    void defaultsAreSixAtOnceWithinAnHour() {
        assertThat(request.parallelism()).isEqualTo(6);
        assertThat(request.timeout()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void outOfRangeSettingsAreUsageErrorsThatNameTheField() {
        assertThatThrownBy(() -> request.withParallelism(0))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> {
                            assertThat(e.kind()).isEqualTo(ErrorKind.USAGE);
                            assertThat(e.field()).contains(Field.PARALLEL);
                            assertThat(e.getMessage()).contains("not 0");
                        });
        assertThatThrownBy(() -> request.withTimeout(Duration.ofSeconds(-5)))
                .isInstanceOfSatisfying(
                        ImageGateException.class,
                        e -> assertThat(e.field()).contains(Field.TIMEOUT));
    }
}
