package io.imagegate.jenkins;

import io.imagegate.api.Outcome;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a step's work on the agent came back with, as plain values: the outcome and what it means
 * for the build, the message to fail (or warn) with, the map the step returns to the script, the
 * summary row, and the reports to archive. Every text in it is already masked.
 */
public final class StepResult implements Serializable {
    private static final long serialVersionUID = 1L;

    private final StepKind kind;
    private final Outcome outcome;
    private final BuildResult result;
    private final String message;
    private final String errorKind;
    private final String errorField;
    private final boolean retryable;
    private final LinkedHashMap<String, Object> values;
    private final SummaryRow row;
    private final ArrayList<String> reports;

    StepResult(
            StepKind kind,
            Outcome outcome,
            BuildResult result,
            String message,
            String errorKind,
            String errorField,
            boolean retryable,
            LinkedHashMap<String, Object> values,
            SummaryRow row,
            List<String> reports) {
        this.kind = kind;
        this.outcome = outcome;
        this.result = result;
        this.message = message;
        this.errorKind = errorKind;
        this.errorField = errorField;
        this.retryable = retryable;
        this.values = values;
        this.row = row;
        this.reports = new ArrayList<>(reports);
    }

    public StepKind kind() {
        return kind;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** What the step does to the build ({@link BuildResult#of}). */
    public BuildResult result() {
        return result;
    }

    /**
     * The readable summary: for a failure or an unstable build the reason, prefixed with the step's
     * name ({@code imagegateGate: 1 violation(s) in 1 image reference(s) …}); for a pass the
     * one-line summary.
     */
    public String message() {
        return message;
    }

    /** For an error: the {@code ErrorKind} name ({@code TRANSIENT}, {@code USAGE}, …). */
    public Optional<String> errorKind() {
        return Optional.ofNullable(errorKind);
    }

    /** For a usage error: the {@code Field} name of the input at fault. */
    public Optional<String> errorField() {
        return Optional.ofNullable(errorField);
    }

    /** Whether running the step again may succeed without changing anything. */
    public boolean retryable() {
        return retryable;
    }

    /**
     * The step's return value: a new map of plain values (strings, numbers, booleans, and lists and
     * maps of them), which a Pipeline script reads as {@code result.digest} and CPS can persist.
     */
    public Map<String, Object> values() {
        return Results.copy(values);
    }

    public SummaryRow row() {
        return row;
    }

    /**
     * The report files written inside the workspace, relative to it ({@code /}-separated), for
     * archiving.
     */
    public List<String> reports() {
        return List.copyOf(reports);
    }

    @Override
    public String toString() {
        return kind.functionName() + " " + outcome + " -> " + result + ": " + message;
    }
}
