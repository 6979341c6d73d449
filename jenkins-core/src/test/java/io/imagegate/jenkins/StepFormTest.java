package io.imagegate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the snippet generator's form writes list parameters: one entry per line, both ways. */
class StepFormTest {
    @Test
    void aTextAreaIsOneEntryPerLine() {
        assertThat(StepForm.lines("linux/amd64\r\n  linux/arm64 \n\n"))
                .containsExactly("linux/amd64", "linux/arm64");
        assertThat(StepForm.lines("")).isEmpty();
        assertThat(StepForm.lines(null)).isEmpty();
        assertThat(StepForm.lines(StepForm.text(List.of("a b", "c")))).containsExactly("a b", "c");
        assertThat(StepForm.text(null)).isEmpty();
    }

    @Test
    void theListAndOptionalParametersComeFromTheModel() {
        assertThat(StepForm.listParameters(StepKind.GATE))
                .containsExactly(
                        "anonymousRegistries",
                        "buildArgs",
                        "files",
                        "insecureRegistries",
                        "map",
                        "platforms",
                        "registryCredentials",
                        "trusted",
                        "verifyKeys");
        assertThat(StepForm.listParameters(StepKind.UPDATE))
                .containsExactly(
                        "anonymousRegistries",
                        "files",
                        "insecureRegistries",
                        "registryCredentials",
                        "trusted",
                        "verifyKeys");
        assertThat(StepForm.optionalParameters(StepKind.UPDATE))
                .doesNotContain("files", "trusted")
                .contains("check", "patch", "summary", "commit", "branch", "renovateDatasource");
        assertThat(StepForm.optionalParameters(StepKind.SCAN))
                .doesNotContain("image")
                .contains("failOnError", "severities");
    }
}
