package io.imagegate.api;

import io.imagegate.message.ImageGateException;
import java.util.List;
import java.util.Optional;

/**
 * What vetting did.
 *
 * @param source the source as given
 * @param target the trusted name
 * @param digest the vetted digest (the one promoted, or refused)
 * @param verdict PASS or FAIL (empty on error)
 * @param promoted the image now appears under the trusted name
 * @param alreadyVetted a fresh PASS verdict under the same policy existed: nothing was copied or
 *     scanned
 * @param verdicts the verdict per scanned manifest
 * @param verdictStored where the verdict artifact was stored ({@code host/repo@sha256:…}), or empty
 * @param quarantine where the image was quarantined
 * @param reports report files written
 * @param lines console lines
 */
public record VetResult(
        Outcome outcome,
        Optional<ImageGateException> error,
        String source,
        String target,
        String digest,
        String verdict,
        boolean promoted,
        boolean alreadyVetted,
        List<VerdictSummary> verdicts,
        String verdictStored,
        String quarantine,
        List<String> reports,
        List<String> lines)
        implements OperationResult {
    public VetResult {
        verdicts = List.copyOf(verdicts);
        reports = List.copyOf(reports);
        lines = List.copyOf(lines);
    }

    static VetResult failed(String source, String target, ImageGateException e) {
        return new VetResult(
                Outcome.ERROR,
                Optional.of(e),
                source == null ? "" : source,
                target == null ? "" : target,
                "",
                "",
                false,
                false,
                List.of(),
                "",
                "",
                List.of(),
                List.of());
    }
}
