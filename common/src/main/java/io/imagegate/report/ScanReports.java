package io.imagegate.report;

import io.imagegate.finding.Severity;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.policy.Verdict;
import io.imagegate.reference.ImageReference;
import io.imagegate.scan.TrivyJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes scan verdicts for people and machines: JSON ({@link JsonReport}), SARIF 2.1.0 ({@link
 * SarifReport}), JUnit XML ({@link JunitReport}) and an HTML page ({@link HtmlReport}) with its
 * stylesheet beside it ({@link ReportStylesheet}), Trivy's own JSON of each scan (for tools that
 * read Trivy's format), and the same as plain lines for a console. The files of an image are named
 * after it ({@link ReportName}), so scans and vets of several images into one directory, one after
 * another or side by side, each keep their own. Each file is written to a temporary file in the
 * directory and moved into place, so a reader never sees half a report.
 */
public final class ScanReports {
    /** The suffixes of an image's reports after its {@link ReportName#stem}. */
    public static final String JSON_SUFFIX = ".json";

    public static final String SARIF_SUFFIX = ".sarif";
    public static final String JUNIT_SUFFIX = "-junit.xml";
    public static final String HTML_SUFFIX = ".html";

    /**
     * The HTML reports' stylesheet, one per directory: Jenkins' default artifact CSP ({@code
     * style-src 'self'}) blocks inline styles.
     */
    public static final String STYLESHEET = "imagegate-report.css";

    /**
     * Trivy's own report of a scan: {@code STEM.trivy.json}, or {@code STEM.<platform>.trivy.json}
     * for a platform.
     */
    public static final String TRIVY_SUFFIX = ".trivy.json";

    private ScanReports() {}

    /** As {@link #writeAll(Path, ImageReference, List, List)} without Trivy's own reports. */
    public static List<Path> writeAll(Path dir, ImageReference image, List<Verdict> verdicts) {
        return writeAll(dir, image, verdicts, List.of());
    }

    /**
     * Writes the four formats for {@code image}'s verdicts into {@code dir} (created if needed),
     * the stylesheet, and Trivy's own report of each scan; returns their paths: JSON, SARIF, JUnit
     * XML, HTML, stylesheet, then Trivy's.
     */
    public static List<Path> writeAll(
            Path dir, ImageReference image, List<Verdict> verdicts, List<TrivyJson> trivyJson) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    "report.dir",
                    "cannot create the report directory {0} ({1}): {2}",
                    dir,
                    Field.REPORT_DIR,
                    String.valueOf(e.getMessage()));
        }
        String stem = ReportName.stem(image);
        List<Path> written =
                new ArrayList<>(
                        List.of(
                                write(dir.resolve(stem + JSON_SUFFIX), JsonReport.bytes(verdicts)),
                                write(
                                        dir.resolve(stem + SARIF_SUFFIX),
                                        SarifReport.bytes(verdicts)),
                                write(
                                        dir.resolve(stem + JUNIT_SUFFIX),
                                        JunitReport.bytes(verdicts)),
                                write(
                                        dir.resolve(stem + HTML_SUFFIX),
                                        HtmlReport.bytes(image, verdicts)),
                                write(dir.resolve(STYLESHEET), ReportStylesheet.bytes())));
        Set<String> names = new HashSet<>();
        for (TrivyJson json : trivyJson) {
            String name =
                    stem
                            + json.platform()
                                    .map(
                                            p ->
                                                    "."
                                                            + ReportName.safe(
                                                                    p.toString(),
                                                                    ReportName.PLATFORM_MAX))
                                    .orElse("");
            // Platforms that read alike as file names (or a platform listed twice) still get a file
            // each.
            String unique = name;
            for (int n = 2; !names.add(unique.toLowerCase(Locale.ROOT)); n++) {
                unique = name + "-" + n;
            }
            written.add(write(dir.resolve(unique + TRIVY_SUFFIX), json.open()));
        }
        return List.copyOf(written);
    }

    static Path write(Path file, byte[] content) {
        return write(file, new ByteArrayInputStream(content));
    }

    /**
     * {@code content} as {@code file}, whole or not at all: a temporary file beside it, moved over
     * it; never left behind. Created as any file is, so the umask decides who may read it (0644 by
     * default): artifact collectors and later CI steps as another user read reports. ({@code
     * Files.createTempFile} would make it 0600 whatever the umask.)
     */
    static Path write(Path file, InputStream content) {
        Path temp = null;
        try {
            temp = createBeside(file);
            Files.copy(content, temp, StandardCopyOption.REPLACE_EXISTING);
            Path written =
                    Files.move(
                            temp,
                            file,
                            StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
            temp = null;
            return written;
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    "report.write",
                    "cannot write the report {0}: {1}",
                    file,
                    String.valueOf(e.getMessage()));
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the error that got here is the one to report
                }
            }
        }
    }

    /** A new empty file of a random name beside {@code file}, with the umask's permissions. */
    private static Path createBeside(Path file) throws IOException {
        for (int tries = 0; ; tries++) {
            Path temp =
                    file.resolveSibling(
                            "."
                                    + file.getFileName()
                                    + "."
                                    + Long.toUnsignedString(RANDOM.nextLong(), 36)
                                    + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                if (tries >= 10) {
                    throw taken;
                }
            }
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    // ---------------------------------------------------------------- text

    /**
     * The verdicts as plain lines, for a console or build log: verdict, counts, reasons, findings.
     * Every line is neutralised: a newline or an escape sequence in a package name cannot forge a
     * line or move the cursor.
     */
    public static List<String> text(List<Verdict> verdicts) {
        List<String> lines = new java.util.ArrayList<>();
        for (Verdict v : verdicts) {
            lines.add(v.outcome() + " " + Findings.subject(v));
            lines.add(
                    "  "
                            + java.util.Arrays.stream(Severity.values())
                                    .sorted(java.util.Comparator.reverseOrder())
                                    .map(s -> s + " " + v.counts().getOrDefault(s, 0))
                                    .collect(java.util.stream.Collectors.joining(", ")));
            v.reasons().forEach(r -> lines.add("  " + r));
            v.failing().forEach(f -> lines.add("  " + Findings.line(f)));
            v.allowlisted()
                    .forEach(
                            a ->
                                    lines.add(
                                            "  allowlisted "
                                                    + a.finding().id()
                                                    + " "
                                                    + a.finding().packageName()
                                                    + ": "
                                                    + a.entry().reason()));
            v.expiredEntries()
                    .forEach(
                            e ->
                                    lines.add(
                                            "  expired allowlist entry "
                                                    + e.id()
                                                    + " ("
                                                    + e.expires()
                                                    + ") not honoured"));
        }
        return lines.stream().map(Message::neutralize).toList();
    }
}
