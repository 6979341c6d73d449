package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.ErrorKind;
import io.imagegate.testing.HostileServer;
import io.imagegate.testing.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan resolves the image while it loads the policy and finds Trivy: a mistake in either is still
 * the error it reports, at once, even while the registry hangs (the resolution is cut off, not
 * waited out).
 */
class ScanResolutionTest {
    @TempDir Path dir;

    private ScanResult scanHanging(String policy, TrivySettings trivy) throws Exception {
        try (HostileServer hangs = new HostileServer((r, out) -> Thread.sleep(120_000))) {
            long start = System.nanoTime();
            ScanResult result =
                    ImageGate.create(TestSettings.in(dir))
                            .scan(
                                    ScanSpec.of(
                                            hangs.hostPort() + "/team/app:1", policy, null, trivy),
                                    ProgressListener.NONE);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(10));
            return result;
        }
    }

    @Test
    void aMissingPolicyIsReportedWhileTheRegistryHangs() throws Exception {
        ScanResult result =
                scanHanging(
                        "missing-policy.yaml",
                        TrivySettings.builder().path("/nonexistent/trivy").build());
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.error())
                .hasValueSatisfying(
                        e -> {
                            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
                            assertThat(e.getMessage())
                                    .contains("missing-policy.yaml")
                                    .contains("does not exist");
                        });
    }

    @Test
    void aMissingTrivyIsReportedWhileTheRegistryHangs() throws Exception {
        ScanResult result =
                scanHanging(null, TrivySettings.builder().path("/nonexistent/trivy").build());
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.error())
                .hasValueSatisfying(
                        e -> {
                            assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
                            assertThat(e.getMessage()).contains("/nonexistent/trivy");
                        });
    }
}
