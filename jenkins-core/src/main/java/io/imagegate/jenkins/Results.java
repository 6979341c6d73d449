package io.imagegate.jenkins;

import io.imagegate.api.GateResult;
import io.imagegate.api.ImportResult;
import io.imagegate.api.OperationResult;
import io.imagegate.api.Outcome;
import io.imagegate.api.ResultValues;
import io.imagegate.api.RewriteResult;
import io.imagegate.api.ScanResult;
import io.imagegate.api.UpdateResult;
import io.imagegate.api.VerdictSummary;
import io.imagegate.api.VetResult;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An operation's result as a step reports it: the lines for the console, the map returned to the
 * script, the summary row, and the message the build fails (or turns unstable) with. Every text
 * goes through the masker.
 */
final class Results {
    /** Violations quoted in a failure message; the console has them all. */
    private static final int QUOTED_VIOLATIONS = 3;

    private final StepParameters parameters;
    private final SecretMasker masker;
    private final Consumer<String> console;
    private final JenkinsVocabulary vocabulary;

    Results(
            StepParameters parameters,
            SecretMasker masker,
            Path workspace,
            Consumer<String> console) {
        this.parameters = parameters;
        this.masker = masker;
        this.console = console;
        this.vocabulary = JenkinsVocabulary.in(workspace);
    }

    private String name() {
        return parameters.kind().functionName();
    }

    private boolean unstable() {
        return parameters instanceof JudgedParameters j && j.isUnstable();
    }

    // ---------------------------------------------------------------- per operation

    StepResult of(ImportResult r) {
        if (r.outcome() == Outcome.ERROR) {
            return error(r, ((ImportParameters) parameters).getSource());
        }
        console.accept(r.summary());
        LinkedHashMap<String, Object> values = values(r);
        SummaryRow row =
                row(
                        r.target(),
                        r.digest(),
                        "",
                        r.upToDate()
                                ? "up to date"
                                : "imported: " + r.copied().blobs() + " blob(s) copied",
                        List.of());
        return result(r.outcome(), r.summary(), values, row, List.of());
    }

    StepResult of(ScanResult r) {
        if (r.outcome() == Outcome.ERROR) {
            return error(r, ((ScanParameters) parameters).getImage());
        }
        r.lines().forEach(console);
        List<String> written = reports(r.reports());
        List<String> reports = archivable(written);
        LinkedHashMap<String, Object> values = values(r);
        String message =
                r.image() + "@" + r.digest() + ": " + verdict(r.verdicts()) + reasons(r.verdicts());
        SummaryRow row =
                row(
                        r.image(),
                        r.digest(),
                        verdict(r.verdicts()),
                        countsText(r.verdicts()),
                        linked(reports));
        return result(r.outcome(), message, values, row, reports);
    }

    StepResult of(VetResult r) {
        if (r.outcome() == Outcome.ERROR) {
            return error(r, r.source());
        }
        r.lines().forEach(console);
        List<String> written = reports(r.reports());
        List<String> reports = archivable(written);
        LinkedHashMap<String, Object> values = values(r);
        String message =
                r.outcome() == Outcome.PASSED
                        ? (r.alreadyVetted()
                                ? r.target() + "@" + r.digest() + " was already vetted"
                                : r.source() + " vetted as " + r.target() + "@" + r.digest())
                        : r.source()
                                + " ("
                                + r.digest()
                                + ") was not promoted to "
                                + r.target()
                                + ": "
                                + r.verdict()
                                + reasons(r.verdicts());
        SummaryRow row =
                row(
                        r.target(),
                        r.digest(),
                        r.verdict(),
                        r.alreadyVetted() ? "already vetted" : countsText(r.verdicts()),
                        linked(reports));
        return result(r.outcome(), message, values, row, reports);
    }

    StepResult of(RewriteResult r) {
        if (r.outcome() == Outcome.ERROR) {
            return error(r, String.join(", ", ((RewriteParameters) parameters).getFiles()));
        }
        List<String> changed = new ArrayList<>();
        for (RewriteResult.FileChange file : r.files()) {
            file.skipped().forEach(m -> console.accept(m.render(vocabulary)));
            file.diff().forEach(console);
            if (file.changed()) {
                changed.add(relative(file.file()));
            }
        }
        boolean check = ((RewriteParameters) parameters).isCheck();
        LinkedHashMap<String, Object> values = values(r);
        String message =
                changed.isEmpty()
                        ? "nothing to rewrite in " + r.files().size() + " Dockerfile(s)"
                        : check
                                ? changed.size()
                                        + " Dockerfile(s) need rewriting: "
                                        + String.join(", ", changed)
                                        + " (run "
                                        + name()
                                        + " without check: true)"
                                : "rewrote " + String.join(", ", changed);
        String subject = String.join(", ", ((RewriteParameters) parameters).getFiles());
        String verdict = r.outcome() == Outcome.CHANGES_NEEDED ? "CHANGES" : "PASS";
        return result(
                r.outcome(),
                message,
                values,
                row(subject, "", verdict, message, List.of()),
                List.of());
    }

    StepResult of(GateResult r) {
        if (r.outcome() == Outcome.ERROR) {
            return error(r, String.join(", ", ((GateParameters) parameters).getFiles()));
        }
        List<String> described = new ArrayList<>();
        for (GateResult.Violation v : r.violations()) {
            String line =
                    Message.neutralize(relative(v.file()) + ":" + v.line() + ": " + v.written())
                            + ": "
                            + v.reason().render(vocabulary)
                            + " (fix: "
                            + v.fix().render(vocabulary)
                            + ")";
            console.accept(line);
            described.add(line);
        }
        console.accept(r.summary());
        LinkedHashMap<String, Object> values = values(r);
        StringBuilder message = new StringBuilder(r.summary());
        described.stream()
                .limit(QUOTED_VIOLATIONS)
                .forEach(d -> message.append('\n').append("  ").append(d));
        if (described.size() > QUOTED_VIOLATIONS) {
            message.append('\n')
                    .append("  … and ")
                    .append(described.size() - QUOTED_VIOLATIONS)
                    .append(" more (see the log above)");
        }
        String subject = String.join(", ", ((GateParameters) parameters).getFiles());
        return result(
                r.outcome(),
                message.toString(),
                values,
                row(
                        subject,
                        "",
                        r.violations().isEmpty() ? "PASS" : "FAIL",
                        r.summary(),
                        List.of()),
                List.of());
    }

    StepResult of(UpdateResult r) {
        UpdateParameters p = (UpdateParameters) parameters;
        if (r.outcome() == Outcome.ERROR) {
            return error(r, String.join(", ", p.getFiles()));
        }
        r.held().forEach(m -> console.accept(m.render(vocabulary)));
        r.files().forEach(f -> f.diff().forEach(console));
        List<String> changed = r.changedFiles().stream().map(this::relative).toList();
        for (UpdateResult.Image image : r.images()) {
            if (image.changed()) {
                console.accept(
                        Message.neutralize(
                                image.image()
                                        + ": "
                                        + (image.from().isEmpty()
                                                ? "(by tag)"
                                                : String.join(", ", image.from()))
                                        + " -> "
                                        + image.digest()
                                        + " (vetted "
                                        + image.vettedAt()
                                        + ", "
                                        + image.fixed().size()
                                        + " finding(s) fixed, "
                                        + image.introduced().size()
                                        + " introduced)"));
            }
        }
        if (!r.branch().isEmpty()) {
            console.accept("committed " + r.commit() + " on " + r.branch());
        }
        LinkedHashMap<String, Object> values = values(r);
        String message =
                changed.isEmpty()
                        ? "nothing to update: every trusted reference is pinned to the newest"
                                + " vetted digest of its tag"
                        : p.isCheck()
                                ? changed.size()
                                        + " file(s) pin stale digests: "
                                        + String.join(", ", changed)
                                        + " (run "
                                        + name()
                                        + " without check: true)"
                                : (p.getPatch() != null ? "patch for " : "updated ")
                                        + String.join(", ", changed)
                                        + (r.branch().isEmpty()
                                                ? ""
                                                : " (committed on " + r.branch() + ")");
        long repinned = r.images().stream().filter(UpdateResult.Image::changed).count();
        return result(
                r.outcome(),
                message,
                values,
                row(
                        String.join(", ", p.getFiles()),
                        "",
                        r.outcome() == Outcome.CHANGES_NEEDED ? "CHANGES" : "PASS",
                        changed.isEmpty() ? "up to date" : repinned + " image(s) re-pinned",
                        List.of()),
                List.of());
    }

    /**
     * A failure before or outside the operation (bad parameters, a broken environment), or the
     * operation's own error: it fails the build, or with {@code failOnError: false} a registry or
     * scanner error marks it UNSTABLE.
     */
    StepResult error(ImageGateException e, String subject) {
        String text =
                e.render(vocabulary)
                        + (e.retryable()
                                ? " (a transient failure: running the step again may succeed)"
                                : "");
        BuildResult result =
                BuildResult.of(Outcome.ERROR, e.kind(), unstable(), parameters.isFailOnError());
        LinkedHashMap<String, Object> values = withResult(shared().error(e), result);
        values.put("error", text);
        // failOnError: false: the build goes on UNSTABLE, and the message says what was not checked
        String message =
                result == BuildResult.UNSTABLE
                        ? text + " (failOnError: false: marked UNSTABLE, nothing was checked)"
                        : text;
        return new StepResult(
                parameters.kind(),
                Outcome.ERROR,
                result,
                masker.mask(name() + ": " + message),
                e.kind().name(),
                e.field().map(Enum::name).orElse(null),
                e.retryable(),
                mask(values),
                maskedRow(
                        new SummaryRow(
                                name(),
                                subject,
                                "",
                                "ERROR",
                                result.name(),
                                firstLine(text),
                                List.of())),
                List.of());
    }

    // ---------------------------------------------------------------- shared

    private StepResult error(OperationResult r, String subject) {
        return error(
                r.error()
                        .orElseGet(
                                () ->
                                        ImageGateException.internal(
                                                "jenkins.no-error",
                                                "the operation failed without saying why")),
                subject);
    }

    /**
     * The map every front end returns ({@link ResultValues}), in the step's words, with the build
     * result after the outcome.
     */
    private LinkedHashMap<String, Object> values(OperationResult r) {
        return withResult(shared().of(r), BuildResult.of(r.outcome(), unstable()));
    }

    private ResultValues shared() {
        return ResultValues.in(vocabulary, this::relative);
    }

    private static LinkedHashMap<String, Object> withResult(
            Map<String, Object> shared, BuildResult result) {
        LinkedHashMap<String, Object> values = new LinkedHashMap<>();
        values.put("outcome", shared.get("outcome"));
        values.put("result", result.name());
        values.putAll(shared);
        return values;
    }

    private SummaryRow row(
            String image, String digest, String verdict, String details, List<String> reports) {
        return new SummaryRow(name(), image, digest, verdict, "", details, reports);
    }

    private StepResult result(
            Outcome outcome,
            String message,
            LinkedHashMap<String, Object> values,
            SummaryRow row,
            List<String> reports) {
        BuildResult result = BuildResult.of(outcome, unstable());
        String text = result == BuildResult.SUCCESS ? message : name() + ": " + message;
        SummaryRow withResult =
                new SummaryRow(
                        row.getStep(),
                        row.getImage(),
                        row.getDigest(),
                        row.getVerdict(),
                        result.name(),
                        row.getDetails(),
                        row.getReports());
        return new StepResult(
                parameters.kind(),
                outcome,
                result,
                masker.mask(text),
                null,
                null,
                false,
                mask(values),
                maskedRow(withResult),
                reports);
    }

    private SummaryRow maskedRow(SummaryRow row) {
        return new SummaryRow(
                masker.mask(row.getStep()),
                masker.mask(row.getImage()),
                row.getDigest(),
                row.getVerdict(),
                row.getResult(),
                masker.mask(row.getDetails()),
                row.getReports().stream().map(masker::mask).toList());
    }

    /** The values with every string in them masked. */
    @SuppressWarnings("unchecked")
    private LinkedHashMap<String, Object> mask(LinkedHashMap<String, Object> values) {
        return (LinkedHashMap<String, Object>) maskValue(values);
    }

    private Object maskValue(Object value) {
        if (value instanceof String s) {
            return masker.mask(s);
        }
        if (value instanceof Map<?, ?> m) {
            LinkedHashMap<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(masker.mask(String.valueOf(k)), maskValue(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(maskValue(v)));
            return out;
        }
        return value;
    }

    /**
     * A deep copy made of LinkedHashMaps and ArrayLists, which CPS persists and script security
     * lets a script read.
     */
    static LinkedHashMap<String, Object> copy(Map<String, Object> values) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, copyValue(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object value) {
        if (value instanceof Map<?, ?> m) {
            return copy((Map<String, Object>) m);
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(copyValue(v)));
            return out;
        }
        return value;
    }

    private List<String> reports(List<String> written) {
        List<String> out = new ArrayList<>();
        for (String report : written) {
            console.accept("report: " + relative(report));
            out.add(relative(report));
        }
        return out;
    }

    /**
     * The reports inside the workspace (relative paths): those the plugin can archive with the
     * build.
     */
    private static List<String> archivable(List<String> reports) {
        return reports.stream().filter(r -> !Path.of(r).isAbsolute()).toList();
    }

    /**
     * The reports a summary row links: the HTML's stylesheet is archived beside it, but no report
     * to open.
     */
    private static List<String> linked(List<String> reports) {
        return reports.stream().filter(r -> !r.endsWith(".css")).toList();
    }

    /** A path inside the workspace relative to it ({@code /}-separated); others as they are. */
    private String relative(String file) {
        return vocabulary.path(file);
    }

    static String verdict(List<VerdictSummary> verdicts) {
        return ResultValues.verdict(verdicts);
    }

    static String countsText(List<VerdictSummary> verdicts) {
        StringBuilder out = new StringBuilder();
        ResultValues.counts(verdicts)
                .forEach(
                        (s, n) ->
                                out.append(out.length() == 0 ? "" : ", ")
                                        .append(s)
                                        .append(' ')
                                        .append(n));
        return out.toString();
    }

    private static String reasons(List<VerdictSummary> verdicts) {
        List<String> reasons = ResultValues.reasons(verdicts);
        return reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")";
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
