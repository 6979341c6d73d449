package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Trivy server's token: what a front end gives, else the environment's, for every front end
 * alike.
 */
class TrivySettingsTest {
    private static final Environment ENV =
            Environment.of(
                    Map.of(TrivySettings.TOKEN_VARIABLE, "from-env"), "/home/u", "/work", "/tmp");

    @Test
    void theServerTokenDefaultsToTheEnvironmentsAndAGivenOneWins() {
        assertThat(
                        TrivySettings.builder()
                                .server("http://trivy:4954", null)
                                .build()
                                .options(ENV)
                                .server()
                                .orElseThrow()
                                .token())
                .isEqualTo("from-env");
        assertThat(
                        TrivySettings.builder()
                                .server("http://trivy:4954", Secret.of("given"))
                                .build()
                                .options(ENV)
                                .server()
                                .orElseThrow()
                                .token())
                .isEqualTo("given");
        assertThat(TrivySettings.builder().build().options(ENV).server()).isEmpty();
    }
}
