package io.imagegate.api;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Operation;

/**
 * Keep vetted images up with upstream, as a sync file lists them.
 *
 * @param file the sync file (YAML)
 * @param policy the default policy file for images without one of their own; null for the default
 *     policy
 * @param quarantine the default quarantine prefix; null for {@code quarantine}
 * @param parallelism images processed at once
 * @param reportDir where to write reports (one subdirectory per image); null for none
 * @param trivy how Trivy runs
 * @param signingKey the private key file that signs every verdict recorded (see {@link
 *     VetSpec#signingKey}); null for none
 * @param shard {@code INDEX/COUNT}: only the images of this part of the file ({@link SyncShard});
 *     null for all
 * @param rescanOlderThan scan an unchanged image again, in place, when its newest verdict is older
 *     than this ({@code 24h}, {@code 7d}, {@code 0s} for every one); null for the sync file's
 *     {@code rescanAfter}, else never
 */
public record SyncSpec(
        String file,
        String policy,
        String quarantine,
        int parallelism,
        String reportDir,
        TrivySettings trivy,
        String signingKey,
        String shard,
        String rescanOlderThan)
        implements Spec {
    public static final int DEFAULT_PARALLELISM = 4;

    public SyncSpec(
            String file,
            String policy,
            String quarantine,
            int parallelism,
            String reportDir,
            TrivySettings trivy) {
        this(file, policy, quarantine, parallelism, reportDir, trivy, null);
    }

    public SyncSpec(
            String file,
            String policy,
            String quarantine,
            int parallelism,
            String reportDir,
            TrivySettings trivy,
            String signingKey) {
        this(file, policy, quarantine, parallelism, reportDir, trivy, signingKey, null, null);
    }

    /** The same sync, of one shard ({@code null}: all), rescanning as {@code rescanOlderThan}. */
    public SyncSpec with(String shard, String rescanOlderThan) {
        return new SyncSpec(
                file,
                policy,
                quarantine,
                parallelism,
                reportDir,
                trivy,
                signingKey,
                shard,
                rescanOlderThan);
    }

    public SyncSpec {
        trivy = trivy == null ? TrivySettings.defaults() : trivy;
    }

    @Override
    public Operation operation() {
        return Operation.SYNC;
    }

    @Override
    public void validate() {
        Specs.required(Field.SYNC_FILE, file);
        if (parallelism < 1 || parallelism > 64) {
            throw ImageGateException.usage(
                    Field.PARALLEL,
                    "sync.parallel-range",
                    "the number of images processed at once ({0}) must be"
                            + " between 1 and 64, not {1}",
                    Field.PARALLEL,
                    parallelism);
        }
        if (rescanOlderThan != null) {
            RescanAge.parse(Field.RESCAN_OLDER_THAN, rescanOlderThan);
        }
        trivy.validate();
    }
}
