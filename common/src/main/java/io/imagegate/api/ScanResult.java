package io.imagegate.api;

import io.imagegate.message.ImageGateException;
import java.util.List;
import java.util.Optional;

/**
 * What a scan found: one verdict per scanned manifest (every platform of a multi-arch image), the
 * reports written, and the lines every front end prints.
 *
 * @param image the image as given
 * @param digest the digest it resolved to
 * @param verdicts one per scanned manifest
 * @param reports the report files written
 * @param scanner the scanner and its version
 * @param lines the verdicts as console lines (verdict, counts, reasons, failing findings)
 */
public record ScanResult(
        Outcome outcome,
        Optional<ImageGateException> error,
        String image,
        String digest,
        List<VerdictSummary> verdicts,
        List<String> reports,
        String scanner,
        List<String> lines)
        implements OperationResult {
    public ScanResult {
        verdicts = List.copyOf(verdicts);
        reports = List.copyOf(reports);
        lines = List.copyOf(lines);
    }

    static ScanResult failed(String image, ImageGateException e) {
        return new ScanResult(
                Outcome.ERROR,
                Optional.of(e),
                image == null ? "" : image,
                "",
                List.of(),
                List.of(),
                "",
                List.of());
    }
}
