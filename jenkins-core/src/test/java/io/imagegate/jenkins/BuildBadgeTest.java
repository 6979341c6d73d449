package io.imagegate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The badge beside a build in its history: the worst verdict over the build's summary rows. */
class BuildBadgeTest {
    /**
     * Symbols of Jenkins core 2.541.3 (war/src/main/resources/images/symbols/*.svg) the badge may
     * name.
     */
    private static final Set<String> CORE_SYMBOLS =
            Set.of("symbol-error", "symbol-shield-warning", "symbol-warning", "symbol-check");

    private static SummaryRow row(String step, String verdict) {
        return new SummaryRow(
                step,
                "registry.example.com/base/app:1",
                "sha256:1",
                verdict,
                "SUCCESS",
                "",
                List.of());
    }

    private static BuildSummary summary(SummaryRow... rows) {
        BuildSummary summary = new BuildSummary();
        for (SummaryRow row : rows) {
            summary.add(row);
        }
        return summary;
    }

    @Test
    void theWorstVerdictOfTheBuildWinsWhateverTheOrder() {
        assertThat(summary(row("imagegateScan", "PASS")).getBadge().getVerdict()).isEqualTo("PASS");
        assertThat(
                        summary(row("imagegateRewrite", "CHANGES"), row("imagegateScan", "PASS"))
                                .getBadge()
                                .getVerdict())
                .isEqualTo("CHANGES");
        assertThat(
                        summary(
                                        row("imagegateScan", "PASS"),
                                        row("imagegateVet", "FAIL"),
                                        row("imagegateRewrite", "CHANGES"))
                                .getBadge()
                                .getVerdict())
                .isEqualTo("FAIL");
        BuildBadge error =
                summary(
                                row("imagegateVet", "FAIL"),
                                row("imagegateGate", "ERROR"),
                                row("imagegateScan", "PASS"))
                        .getBadge();
        assertThat(error.getVerdict())
                .as("an error judged nothing: the worst there is")
                .isEqualTo("ERROR");
        assertThat(error.getSymbol()).isEqualTo("symbol-error");
        assertThat(error.getTooltip())
                .isEqualTo("imagegate: ERROR (3 steps: 1 PASS, 1 FAIL, 1 ERROR)");
    }

    @Test
    void importsJudgeNothingSoABuildOfImportsHasNoBadge() {
        assertThat(summary().getBadge()).isNull();
        assertThat(summary(row("imagegateImport", ""), row("imagegateImport", "")).getBadge())
                .isNull();
        BuildBadge badge =
                summary(row("imagegateImport", ""), row("imagegateScan", "PASS")).getBadge();
        assertThat(badge.getVerdict()).isEqualTo("PASS");
        assertThat(badge.getTooltip()).isEqualTo("imagegate: PASS (2 steps: 1 PASS)");
    }

    @Test
    void everyVerdictHasItsOwnCoreSymbol() {
        List<String> symbols =
                BuildBadge.WORST_FIRST.stream()
                        .map(v -> summary(row("imagegateScan", v)).getBadge().getSymbol())
                        .toList();
        assertThat(symbols).doesNotHaveDuplicates().allMatch(CORE_SYMBOLS::contains);
        assertThat(summary(row("imagegateRewrite", "CHANGES")).getHeadline())
                .as("the headline counts every verdict")
                .isEqualTo("1 step: 1 CHANGES");
    }
}
