package io.imagegate.scan;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How Trivy runs. Every option is passed explicitly on its command line, so no {@code trivy.yaml} or
 * {@code TRIVY_*} variable can change a scan.
 *
 * @param cacheDir         Trivy's cache (its vulnerability DB lives in {@code <cacheDir>/db})
 * @param skipDbUpdate     use the DB in the cache as it is
 * @param skipJavaDbUpdate likewise for the Java DB
 * @param offlineScan      no network use besides the registry
 * @param dbRepository     where to download the DB from, when it is updated
 * @param timeout          the longest one scan may take; Trivy is killed after it
 * @param severities       severities to report (empty: all)
 */
public record TrivyOptions(Path cacheDir, boolean skipDbUpdate, boolean skipJavaDbUpdate, boolean offlineScan,
                           Optional<String> dbRepository, Duration timeout, Set<Severity> severities) {
    public TrivyOptions {
        severities = Set.copyOf(severities);
    }

    /** Trivy's own default cache, {@code ~/.cache/trivy}, so imagegate reuses a DB Trivy already downloaded. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "trivy");
    }

    /** Offline against a prepared cache: the way the tests (and air-gapped builds) run. */
    public static TrivyOptions offline(Path cacheDir) {
        return new TrivyOptions(cacheDir, true, true, true, Optional.empty(), Duration.ofMinutes(10), Set.of());
    }

    public TrivyOptions withTimeout(Duration limit) {
        return new TrivyOptions(cacheDir, skipDbUpdate, skipJavaDbUpdate, offlineScan, dbRepository, limit, severities);
    }
}
