package io.imagegate.api;

import io.imagegate.message.ImageGateException;
import java.util.List;
import java.util.Optional;

/**
 * The verdicts recorded for an image, newest first. The outcome is PASSED when the newest verdict
 * is a PASS, POLICY_FAILED when it is a FAIL or there is none.
 */
public record VerdictsResult(
        Outcome outcome,
        Optional<ImageGateException> error,
        String image,
        String digest,
        List<StoredVerdict> verdicts,
        Optional<io.imagegate.message.Message> judgement)
        implements OperationResult {
    public VerdictsResult {
        verdicts = List.copyOf(verdicts);
    }

    public VerdictsResult(
            Outcome outcome,
            Optional<ImageGateException> error,
            String image,
            String digest,
            List<StoredVerdict> verdicts) {
        this(outcome, error, image, digest, verdicts, Optional.empty());
    }

    static VerdictsResult failed(String image, ImageGateException e) {
        return new VerdictsResult(
                Outcome.ERROR, Optional.of(e), image == null ? "" : image, "", List.of());
    }
}
