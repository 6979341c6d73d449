package io.imagegate.api;

import io.imagegate.message.ImageGateException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a sync did, image by image. The outcome is the worst of the entries' (error over policy
 * failure over pass).
 *
 * @param run which file and which part of it this was; for a merged report, the file and the shards
 *     read
 */
public record SyncResult(
        Outcome outcome, Optional<ImageGateException> error, List<Entry> entries, Run run)
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
     * @param vetted it was vetted in this run (copied and scanned, or scanned again in place)
     * @param fixed findings ({@code id package version}) the new digest no longer has
     * @param introduced findings the new digest brings
     * @param rescanned the digest the trusted tag holds was scanned again in place (upstream did
     *     not move)
     * @param newlyFailing it passed before and fails now (its FAIL stands beside the trusted name)
     * @param becameClean it failed before and passes now
     * @param findings the findings ({@code id package version}) that fail the policy now, when it
     *     was scanned in this run
     * @param counts the findings of this run's scan by severity (every platform); empty when it was
     *     not scanned
     * @param policyDigest the digest of the policy it was judged under, or empty when not compared
     * @param verdictCreated when the verdict it rests on was made (ISO-8601), or empty
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
            List<String> introduced,
            boolean rescanned,
            boolean newlyFailing,
            boolean becameClean,
            List<String> findings,
            Map<String, Integer> counts,
            String policyDigest,
            String verdictCreated) {
        public Entry {
            fixed = List.copyOf(fixed);
            introduced = List.copyOf(introduced);
            findings = List.copyOf(findings);
            counts = Map.copyOf(counts);
            policyDigest = policyDigest == null ? "" : policyDigest;
            verdictCreated = verdictCreated == null ? "" : verdictCreated;
        }

        public Entry(
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
            this(
                    source,
                    target,
                    outcome,
                    error,
                    previousDigest,
                    digest,
                    changed,
                    vetted,
                    fixed,
                    introduced,
                    false,
                    false,
                    false,
                    List.of(),
                    Map.of(),
                    "",
                    "");
        }
    }

    /**
     * Which sync this was.
     *
     * @param file the sync file as given
     * @param fileDigest the digest of its bytes: shards of one run read the same file
     * @param imagesInFile how many images the whole file lists
     * @param shardIndex this part's index (0 for the whole file)
     * @param shardCount how many parts the file was split into (1 for the whole file)
     * @param shards for a merged report, the indexes whose summaries were read; else this one
     */
    public record Run(
            String file,
            String fileDigest,
            int imagesInFile,
            int shardIndex,
            int shardCount,
            List<Integer> shards) {
        public Run {
            shards = List.copyOf(shards);
        }

        static final Run UNKNOWN = new Run("", "", 0, 0, 1, List.of());
    }

    public SyncResult {
        entries = List.copyOf(entries);
        run = run == null ? Run.UNKNOWN : run;
    }

    public SyncResult(Outcome outcome, Optional<ImageGateException> error, List<Entry> entries) {
        this(outcome, error, entries, Run.UNKNOWN);
    }

    static SyncResult failed(ImageGateException e) {
        return new SyncResult(Outcome.ERROR, Optional.of(e), List.of());
    }
}
