package io.imagegate.scan;

import io.imagegate.finding.Severity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How Trivy runs. Every option is passed explicitly on its command line (secrets through its
 * environment), so no {@code trivy.yaml} or {@code TRIVY_*} variable can change a scan.
 *
 * @param cacheDir Trivy's cache (its vulnerability DB lives in {@code <cacheDir>/db})
 * @param skipDbUpdate use the DB in the cache as it is
 * @param skipJavaDbUpdate likewise for the Java DB
 * @param offlineScan no network use besides the registry
 * @param dbRepository where to download the DB from, when it is updated
 * @param timeout the longest one scan may take; Trivy is killed after it
 * @param severities severities to report (empty: all)
 * @param server a Trivy server to scan through (client/server mode), instead of a local DB
 * @param keepJson keep Trivy's own JSON report with the parsed one ({@link ScanReport#json()}), to
 *     be written out
 */
public record TrivyOptions(
        Path cacheDir,
        boolean skipDbUpdate,
        boolean skipJavaDbUpdate,
        boolean offlineScan,
        Optional<String> dbRepository,
        Duration timeout,
        Set<Severity> severities,
        Optional<Server> server,
        boolean keepJson) {
    /** A Trivy server ({@code trivy server}) and the token it wants. */
    public record Server(String url, String token) {
        @Override
        public String toString() {
            return "Server[" + url + ", token=****]";
        }
    }

    public TrivyOptions {
        severities = Set.copyOf(severities);
        server = server == null ? Optional.empty() : server;
        dbRepository = dbRepository == null ? Optional.empty() : dbRepository;
    }

    /** Options that keep no JSON report. */
    public TrivyOptions(
            Path cacheDir,
            boolean skipDbUpdate,
            boolean skipJavaDbUpdate,
            boolean offlineScan,
            Optional<String> dbRepository,
            Duration timeout,
            Set<Severity> severities,
            Optional<Server> server) {
        this(
                cacheDir,
                skipDbUpdate,
                skipJavaDbUpdate,
                offlineScan,
                dbRepository,
                timeout,
                severities,
                server,
                false);
    }

    /** Offline against a prepared cache: the way the tests (and air-gapped builds) run. */
    public static TrivyOptions offline(Path cacheDir) {
        return new TrivyOptions(
                cacheDir,
                true,
                true,
                true,
                Optional.empty(),
                Duration.ofMinutes(10),
                Set.of(),
                Optional.empty());
    }

    public TrivyOptions withTimeout(Duration limit) {
        return new TrivyOptions(
                cacheDir,
                skipDbUpdate,
                skipJavaDbUpdate,
                offlineScan,
                dbRepository,
                limit,
                severities,
                server,
                keepJson);
    }

    /** Whether a scan with these options may update the DB (a server scan uses the server's). */
    public boolean updatesDb() {
        return server.isEmpty() && (!skipDbUpdate || !skipJavaDbUpdate);
    }

    /** The same options without updating the DB: for scans that follow one that updated it. */
    public TrivyOptions withoutDbUpdates() {
        return new TrivyOptions(
                cacheDir,
                true,
                true,
                offlineScan,
                dbRepository,
                timeout,
                severities,
                server,
                keepJson);
    }

    public TrivyOptions withServer(Server trivyServer) {
        return new TrivyOptions(
                cacheDir,
                skipDbUpdate,
                skipJavaDbUpdate,
                offlineScan,
                dbRepository,
                timeout,
                severities,
                Optional.ofNullable(trivyServer),
                keepJson);
    }

    /**
     * The same options keeping Trivy's own JSON report of each scan when {@code keep}: when there
     * are reports to write.
     */
    public TrivyOptions keepingJson(boolean keep) {
        return new TrivyOptions(
                cacheDir,
                skipDbUpdate,
                skipJavaDbUpdate,
                offlineScan,
                dbRepository,
                timeout,
                severities,
                server,
                keep);
    }
}
