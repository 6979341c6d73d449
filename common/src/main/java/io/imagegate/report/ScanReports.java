package io.imagegate.report;

import io.imagegate.message.Field;
import io.imagegate.finding.Severity;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.policy.Verdict;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes scan verdicts for people and machines: JSON ({@link JsonReport}), SARIF 2.1.0 ({@link SarifReport}), JUnit
 * XML ({@link JunitReport}) and one self-contained HTML page ({@link HtmlReport}), and the same as plain lines for a
 * console. Each file is written to a temporary file and moved into place, so a reader never sees half a report.
 */
public final class ScanReports {
    public static final String JSON_FILE = "imagegate-scan.json";
    public static final String SARIF_FILE = "imagegate-scan.sarif";
    public static final String JUNIT_FILE = "imagegate-scan-junit.xml";
    public static final String HTML_FILE = "imagegate-scan.html";

    private ScanReports() {
    }

    /** Writes all four formats into {@code dir} (created if needed); returns their paths. */
    public static List<Path> writeAll(Path dir, List<Verdict> verdicts) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw ImageGateException.configuration("report.dir", "cannot create the report directory {0} ({1}): {2}", dir, Field.REPORT_DIR,
                    String.valueOf(e.getMessage()));
        }
        return List.of(
                write(dir.resolve(JSON_FILE), JsonReport.bytes(verdicts)),
                write(dir.resolve(SARIF_FILE), SarifReport.bytes(verdicts)),
                write(dir.resolve(JUNIT_FILE), JunitReport.bytes(verdicts)),
                write(dir.resolve(HTML_FILE), HtmlReport.bytes(verdicts)));
    }

    private static Path write(Path file, byte[] content) {
        try {
            Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            Files.write(temp, content);
            return Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw ImageGateException.configuration("report.write", "cannot write the report {0}: {1}", file, String.valueOf(e.getMessage()));
        }
    }


    // ---------------------------------------------------------------- text

    /**
     * The verdicts as plain lines, for a console or build log: verdict, counts, reasons, findings. Every line is
     * neutralised: a newline or an escape sequence in a package name cannot forge a line or move the cursor.
     */
    public static List<String> text(List<Verdict> verdicts) {
        List<String> lines = new java.util.ArrayList<>();
        for (Verdict v : verdicts) {
            lines.add(v.outcome() + " " + Findings.subject(v));
            lines.add("  " + java.util.Arrays.stream(Severity.values()).sorted(java.util.Comparator.reverseOrder())
                    .map(s -> s + " " + v.counts().getOrDefault(s, 0)).collect(java.util.stream.Collectors.joining(", ")));
            v.reasons().forEach(r -> lines.add("  " + r));
            v.failing().forEach(f -> lines.add("  " + Findings.line(f)));
            v.allowlisted().forEach(a -> lines.add("  allowlisted " + a.finding().id() + " " + a.finding().packageName() + ": " + a.entry().reason()));
            v.expiredEntries().forEach(e -> lines.add("  expired allowlist entry " + e.id() + " (" + e.expires() + ") not honoured"));
        }
        return lines.stream().map(Message::neutralize).toList();
    }
}
