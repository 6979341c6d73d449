package io.imagegate.api;

import io.imagegate.message.Edit;
import io.imagegate.message.Fix;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.message.Vocabulary;
import java.util.List;
import java.util.Optional;

/**
 * What the gate found. PASSED only when at least one reference was checked and none broke a rule: a
 * gate that checked nothing never passes.
 *
 * @param checked references checked
 * @param vettingChecked whether each was also checked for a PASS verdict
 * @param violations the references a build may not use
 * @param verdictsVerified whether verdicts counted only when signed by a verification key (else the
 *     summary says so)
 */
public record GateResult(
        Outcome outcome,
        Optional<ImageGateException> error,
        int checked,
        boolean vettingChecked,
        List<Violation> violations,
        boolean verdictsVerified)
        implements OperationResult {
    public GateResult(
            Outcome outcome,
            Optional<ImageGateException> error,
            int checked,
            boolean vettingChecked,
            List<Violation> violations) {
        this(outcome, error, checked, vettingChecked, violations, false);
    }

    /**
     * One reference a build may not use.
     *
     * @param file where it is written
     * @param line the 1-based line
     * @param written the text as written
     * @param reference the normalized reference, if it resolves
     * @param rule unresolved, untrusted, unpinned or not-vetted
     * @param reason why, in words
     * @param fix what fixes it, in words
     * @param fixes the commands that fix it, to run in this order, each built from the
     *     configuration in force: run as given, then {@code edit} made, the violation is gone
     * @param edit the change no command makes (where a POM configures the image), if any
     */
    public record Violation(
            String file,
            int line,
            String written,
            String reference,
            String rule,
            Message reason,
            Message fix,
            List<Fix> fixes,
            Optional<Edit> edit) {
        public Violation {
            fixes = fixes == null ? List.of() : List.copyOf(fixes);
            edit = edit == null ? Optional.empty() : edit;
        }

        /** A violation whose fix is in words only. */
        public Violation(
                String file,
                int line,
                String written,
                String reference,
                String rule,
                Message reason,
                Message fix) {
            this(file, line, written, reference, rule, reason, fix, List.of(), Optional.empty());
        }

        /**
         * {@code file:line: written: reason (fix: …)} in a front end's words; without a line (the
         * command line), {@code file: written: …}.
         */
        public String describe(Vocabulary vocabulary) {
            return Message.neutralize(file + (line > 0 ? ":" + line : "") + ": " + written)
                    + ": "
                    + reason.render(vocabulary)
                    + " (fix: "
                    + fix.render(vocabulary)
                    + ")";
        }
    }

    public GateResult {
        violations = List.copyOf(violations);
    }

    /**
     * Writes the violations as a SARIF 2.1.0 log to {@code file} (whole or not at all), each
     * located at its file and line relative to {@code base} (the project's directory), its message
     * the reason and fix in {@code vocabulary}'s words; returns the file. A run without violations
     * writes an empty log, so a code-scanning view closes the ones fixed.
     */
    public java.nio.file.Path writeSarif(
            java.nio.file.Path file, java.nio.file.Path base, Vocabulary vocabulary) {
        return io.imagegate.report.GateSarif.write(
                file,
                base,
                violations.stream()
                        .map(
                                v ->
                                        new io.imagegate.report.GateSarif.Result(
                                                v.file(),
                                                v.line(),
                                                Message.neutralize(v.written()),
                                                v.rule(),
                                                v.reason().render(vocabulary),
                                                v.fix().render(vocabulary)))
                        .toList());
    }

    static GateResult failed(ImageGateException e) {
        return new GateResult(Outcome.ERROR, Optional.of(e), 0, false, List.of());
    }

    /**
     * The summary line: {@code N image reference(s) checked, all trusted} or {@code N violation(s)
     * in M image reference(s)}.
     */
    public String summary() {
        // Said once per run: an unsigned verdict is only as trustworthy as everyone who can push to
        // its repository.
        String verification =
                !vettingChecked
                        ? ""
                        : verdictsVerified
                                ? " (verdict signatures verified)"
                                : " (verdict signatures not verified: no verification key is configured)";
        return (violations.isEmpty()
                        ? checked
                                + " image reference(s) checked, all trusted"
                                + (vettingChecked ? " and vetted" : "")
                        : violations.size() + " violation(s) in " + checked + " image reference(s)")
                + verification;
    }
}
