package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeTest {
    @Test
    void theWorstOutcomeWins() {
        assertThat(
                        Outcome.worst(
                                List.of(
                                        Outcome.PASSED,
                                        Outcome.CHANGES_NEEDED,
                                        Outcome.POLICY_FAILED)))
                .isEqualTo(Outcome.POLICY_FAILED);
        assertThat(Outcome.worst(List.of(Outcome.POLICY_FAILED, Outcome.ERROR, Outcome.PASSED)))
                .isEqualTo(Outcome.ERROR);
        assertThat(Outcome.worst(List.of(Outcome.PASSED, Outcome.CHANGES_NEEDED)))
                .isEqualTo(Outcome.CHANGES_NEEDED);
        assertThat(Outcome.worst(List.of(Outcome.PASSED, Outcome.PASSED)))
                .isEqualTo(Outcome.PASSED);
    }
}
