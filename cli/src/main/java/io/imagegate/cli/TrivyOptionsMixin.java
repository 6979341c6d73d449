package io.imagegate.cli;

import io.imagegate.api.TrivySettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How Trivy runs, for scan, vet and sync. */
final class TrivyOptionsMixin {
    @Option(
            names = "--trivy",
            paramLabel = "PATH",
            description = "The Trivy binary (default: $TRIVY_PATH, then the PATH).")
    Path trivy;

    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description = "Trivy's cache directory (default: ~/.cache/trivy).")
    Path cacheDir;

    @Option(
            names = "--skip-db-update",
            preprocessor = Switch.class,
            description = "Use the vulnerability DB in the cache as it is.")
    boolean skipDbUpdate;

    @Option(
            names = "--skip-java-db-update",
            preprocessor = Switch.class,
            description = "Use the Java DB in the cache as it is.")
    boolean skipJavaDbUpdate;

    @Option(
            names = "--offline-scan",
            preprocessor = Switch.class,
            description = "No network use besides the registry.")
    boolean offlineScan;

    @Option(
            names = "--db-repository",
            paramLabel = "REF",
            description = "Where Trivy downloads its vulnerability DB from.")
    String dbRepository;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "Longest time for one scan: seconds, or 10m, 1h (default: 600).")
    String timeout;

    @Option(
            names = "--severity",
            paramLabel = "SEVERITY",
            description = "Severities Trivy reports, comma-separated (default: all).")
    List<String> severities = new ArrayList<>();

    @Option(
            names = "--trivy-server",
            paramLabel = "URL",
            description =
                    "Scan through a Trivy server (trivy server); its token from $IMAGEGATE_TRIVY_TOKEN.")
    String server;

    TrivySettings settings() {
        return TrivySettings.builder()
                .path(trivy == null ? null : trivy.toString())
                .cacheDir(cacheDir == null ? null : cacheDir.toString())
                .skipDbUpdate(skipDbUpdate)
                .skipJavaDbUpdate(skipJavaDbUpdate)
                .offlineScan(offlineScan)
                .dbRepository(dbRepository)
                .timeout(timeout)
                .severities(severities)
                .server(server, null)
                .build();
    }
}
