package io.imagegate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stage view's label from the recorded arguments: the image or the files, plain text only,
 * bounded and printable.
 */
class StepLabelTest {
    /**
     * What workflow-api's ArgumentsAction stores instead of a masked or oversized value (an enum
     * constant).
     */
    enum NotStored {
        MASKED_VALUE
    }

    @Test
    void theImageOrTheFiles() {
        assertThat(StepLabel.of(StepKind.SCAN, Map.of("image", "alpine:3.20", "unstable", true)))
                .isEqualTo("alpine:3.20");
        assertThat(StepLabel.of(StepKind.IMPORT, Map.of("source", "alpine:3.20")))
                .isEqualTo("alpine:3.20");
        assertThat(
                        StepLabel.of(
                                StepKind.VET,
                                Map.of(
                                        "source",
                                        "alpine:3.20",
                                        "target",
                                        "r.example/base/alpine:3.20")))
                .isEqualTo("alpine:3.20 \u2192 r.example/base/alpine:3.20");
        assertThat(
                        StepLabel.of(
                                StepKind.GATE,
                                Map.of(
                                        "files",
                                        List.of("Dockerfile", "app/Dockerfile"),
                                        "trusted",
                                        List.of("r.example"))))
                .isEqualTo("Dockerfile, app/Dockerfile");
        assertThat(StepLabel.of(StepKind.REWRITE, Map.of("files", "Dockerfile")))
                .isEqualTo("Dockerfile");
        assertThat(
                        StepLabel.of(
                                StepKind.UPDATE,
                                Map.of("files", List.of("."), "trusted", List.of("r.example"))))
                .isEqualTo(".");
    }

    @Test
    void placeholdersBlanksAndControlCharactersShowNothingOrVisibly() {
        assertThat(StepLabel.of(StepKind.SCAN, Map.of("image", NotStored.MASKED_VALUE))).isNull();
        assertThat(StepLabel.of(StepKind.SCAN, Map.of())).isNull();
        assertThat(StepLabel.of(StepKind.SCAN, Map.of("image", "  "))).isNull();
        Map<String, Object> masked = new LinkedHashMap<>();
        masked.put("source", "alpine:3.20");
        masked.put("target", NotStored.MASKED_VALUE);
        assertThat(StepLabel.of(StepKind.IMPORT, masked)).isEqualTo("alpine:3.20");
        assertThat(
                        StepLabel.of(
                                StepKind.GATE,
                                Map.of("files", List.of(NotStored.MASKED_VALUE, "Dockerfile"))))
                .isEqualTo("Dockerfile");
        assertThat(StepLabel.of(StepKind.SCAN, Map.of("image", "a\u001b[31m\nb\u202e")))
                .isEqualTo("a\\x1b[31m\\x0ab\\u202e");
        String label = StepLabel.of(StepKind.SCAN, Map.of("image", "r.example/" + "x".repeat(500)));
        assertThat(label).hasSize(StepLabel.MAX_LENGTH).endsWith("\u2026");
    }
}
