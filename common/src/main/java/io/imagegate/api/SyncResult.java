package io.imagegate.api;

import io.imagegate.message.ImageGateException;
import java.util.List;
import java.util.Optional;

/**
 * What a sync did, image by image. The outcome is the worst of the entries' (error over policy
 * failure over pass).
 */
public record SyncResult(Outcome outcome, Optional<ImageGateException> error, List<Entry> entries)
        implements OperationResult {
    /**
     * One image of the sync file.
     *
     * @param source the upstream image
     * @param target its trusted name
     * @param outcome how vetting it ended
     * @param error why it failed, when it did
     * @param previousDigest the digest last vetted, or empty
     * @param digest the upstream digest now
     * @param changed upstream moved since the last vetting
     * @param vetted it was vetted in this run (copied and scanned)
     * @param fixed findings ({@code id package version}) the new digest no longer has
     * @param introduced findings the new digest brings
     */
    public record Entry(
            String source,
            String target,
            Outcome outcome,
            Optional<ImageGateException> error,
            String previousDigest,
            String digest,
            boolean changed,
            boolean vetted,
            List<String> fixed,
            List<String> introduced) {
        public Entry {
            fixed = List.copyOf(fixed);
            introduced = List.copyOf(introduced);
        }
    }

    public SyncResult {
        entries = List.copyOf(entries);
    }

    static SyncResult failed(ImageGateException e) {
        return new SyncResult(Outcome.ERROR, Optional.of(e), List.of());
    }
}
