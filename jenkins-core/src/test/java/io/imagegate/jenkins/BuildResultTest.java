package io.imagegate.jenkins;

import io.imagegate.api.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one table from outcomes to build results. */
class BuildResultTest {
    @Test
    void policyFailuresFailOrTurnUnstableErrorsAlwaysFail() {
        assertThat(BuildResult.of(Outcome.PASSED, false)).isEqualTo(BuildResult.SUCCESS);
        assertThat(BuildResult.of(Outcome.PASSED, true)).isEqualTo(BuildResult.SUCCESS);
        assertThat(BuildResult.of(Outcome.POLICY_FAILED, false)).isEqualTo(BuildResult.FAILURE);
        assertThat(BuildResult.of(Outcome.POLICY_FAILED, true)).isEqualTo(BuildResult.UNSTABLE);
        assertThat(BuildResult.of(Outcome.CHANGES_NEEDED, false)).isEqualTo(BuildResult.FAILURE);
        assertThat(BuildResult.of(Outcome.CHANGES_NEEDED, true)).isEqualTo(BuildResult.UNSTABLE);
        assertThat(BuildResult.of(Outcome.ERROR, false)).isEqualTo(BuildResult.FAILURE);
        assertThat(BuildResult.of(Outcome.ERROR, true)).isEqualTo(BuildResult.FAILURE);
    }
}
