package io.imagegate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.Outcome;
import io.imagegate.message.ErrorKind;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

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

    @Test
    void failOnErrorFalseTurnsOnlyRegistryAndScannerErrorsUnstable() {
        EnumSet<ErrorKind> tolerable =
                EnumSet.of(
                        ErrorKind.AUTHENTICATION,
                        ErrorKind.NOT_FOUND,
                        ErrorKind.TRANSIENT,
                        ErrorKind.TOOL_FAILURE);
        for (ErrorKind kind : ErrorKind.values()) {
            for (boolean unstable : new boolean[] {false, true}) {
                // the default fails the build on every error
                assertThat(BuildResult.of(Outcome.ERROR, kind, unstable, true))
                        .as(kind + " by default")
                        .isEqualTo(BuildResult.FAILURE);
                assertThat(BuildResult.of(Outcome.ERROR, kind, unstable, false))
                        .as(kind + " with failOnError: false")
                        .isEqualTo(
                                tolerable.contains(kind)
                                        ? BuildResult.UNSTABLE
                                        : BuildResult.FAILURE);
            }
        }
        assertThat(BuildResult.of(Outcome.ERROR, null, false, false))
                .as("an error of unknown kind")
                .isEqualTo(BuildResult.FAILURE);
        // failOnError never touches what was judged
        for (Outcome outcome :
                new Outcome[] {Outcome.PASSED, Outcome.POLICY_FAILED, Outcome.CHANGES_NEEDED}) {
            for (boolean unstable : new boolean[] {false, true}) {
                assertThat(BuildResult.of(outcome, null, unstable, false))
                        .isEqualTo(BuildResult.of(outcome, unstable));
            }
        }
    }
}
