package io.imagegate.copy;

import io.imagegate.ImageGateException;
import io.imagegate.reference.ImageReference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImportRequestTest {
    private final ImportRequest request = ImportRequest.of(ImageReference.parse("alpine:3.20"),
            ImageReference.parse("registry.example.com/base/alpine:3.20"));

    @Test
    void blobsGoUpInOnePutUnlessChunkingIsAskedFor() {
        assertThat(request.chunkThreshold()).isEqualTo(Long.MAX_VALUE);
        assertThat(request.withChunking(1 << 20, 1 << 20).chunkThreshold()).isEqualTo(1 << 20);
    }

    @Test
    void outOfRangeSettingsAreUserErrorsThatNameTheValue() {
        assertThatThrownBy(() -> request.withParallelism(0)).isInstanceOf(ImageGateException.class)
                .hasMessageContaining("at least 1, not 0");
        assertThatThrownBy(() -> request.withChunking(10, 0)).isInstanceOf(ImageGateException.class)
                .hasMessageContaining("chunk size");
    }
}
