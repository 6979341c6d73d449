package io.imagegate.jenkins;

import java.util.List;
import java.util.Optional;

/**
 * The badge beside a build in its history: the worst verdict of the build's imagegate steps, as a
 * Jenkins symbol and a tooltip. Worst first: ERROR (nothing was judged, so nothing is known), FAIL,
 * CHANGES (a Dockerfile needs rewriting), PASS. An import judges nothing (its row has no verdict):
 * a build with imports only has no badge.
 */
public final class BuildBadge {
    /** Verdicts, worst first. */
    static final List<String> WORST_FIRST = List.of("ERROR", "FAIL", "CHANGES", "PASS");

    private final String verdict;
    private final String tooltip;

    private BuildBadge(String verdict, String tooltip) {
        this.verdict = verdict;
        this.tooltip = tooltip;
    }

    /** The badge for these rows, or none when no row has a verdict. */
    public static Optional<BuildBadge> of(List<SummaryRow> rows, String headline) {
        for (String verdict : WORST_FIRST) {
            if (rows.stream().anyMatch(r -> r.getVerdict().equals(verdict))) {
                return Optional.of(
                        new BuildBadge(verdict, "imagegate: " + verdict + " (" + headline + ")"));
            }
        }
        return Optional.empty();
    }

    /** ERROR, FAIL, CHANGES or PASS. */
    public String getVerdict() {
        return verdict;
    }

    /** A Jenkins core symbol (war/src/main/resources/images/symbols) for {@code <l:icon src=…>}. */
    public String getSymbol() {
        return switch (verdict) {
            case "ERROR" -> "symbol-error";
            case "FAIL" -> "symbol-shield-warning";
            case "CHANGES" -> "symbol-warning";
            default -> "symbol-check";
        };
    }

    /** {@code imagegate: FAIL (3 steps: 2 PASS, 1 FAIL)}. */
    public String getTooltip() {
        return tooltip;
    }

    @Override
    public String toString() {
        return getSymbol() + " " + tooltip;
    }
}
