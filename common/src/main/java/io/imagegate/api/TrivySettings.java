package io.imagegate.api;

import io.imagegate.finding.Severity;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.scan.TrivyOptions;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * How Trivy runs, as the user configured it.
 *
 * @param path the Trivy binary; null for {@code TRIVY_PATH}, then the PATH
 * @param cacheDir Trivy's cache directory; null for {@code ~/.cache/trivy} (the home of the {@link
 *     Environment})
 * @param skipDbUpdate use the vulnerability DB in the cache as it is
 * @param skipJavaDbUpdate likewise for the Java DB
 * @param offlineScan no network use besides the registry
 * @param dbRepository where Trivy downloads its DB from; null for its default
 * @param timeout the longest one scan may take ({@code 600}, {@code 10m}); null for 10 minutes
 * @param severities severities Trivy reports (empty: all)
 * @param serverUrl a Trivy server to scan through; null to run Trivy locally
 * @param serverToken the token the Trivy server wants; null for {@value #TOKEN_VARIABLE} of the
 *     {@link Environment}
 */
public record TrivySettings(
        String path,
        String cacheDir,
        boolean skipDbUpdate,
        boolean skipJavaDbUpdate,
        boolean offlineScan,
        String dbRepository,
        String timeout,
        List<String> severities,
        String serverUrl,
        Secret serverToken)
        implements Serializable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    /** Where the Trivy server's token comes from when no front end gives one. */
    public static final String TOKEN_VARIABLE = "IMAGEGATE_TRIVY_TOKEN";

    public TrivySettings {
        severities = Specs.copy(severities);
    }

    public static TrivySettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    void validate() {
        if (timeout != null && !timeout.isBlank()) {
            Inputs.duration(Field.TIMEOUT, timeout);
        }
        parsedSeverities();
        if (serverUrl != null && !serverUrl.isBlank() && !serverUrl.matches("https?://[^\\s]+")) {
            throw ImageGateException.usage(
                    Field.SCAN_SERVER,
                    "trivy.server-url",
                    "the Trivy server ({0}) must be an http(s) URL, not {1}",
                    Field.SCAN_SERVER,
                    serverUrl);
        }
    }

    private EnumSet<Severity> parsedSeverities() {
        EnumSet<Severity> out = EnumSet.noneOf(Severity.class);
        for (String s : Inputs.list(Field.SEVERITY, severities)) {
            try {
                out.add(Severity.parse(s, "severity"));
            } catch (ImageGateException e) {
                throw ImageGateException.usage(
                        Field.SEVERITY,
                        "input.severity",
                        "\"{0}\" ({1}) is not a severity; use UNKNOWN, LOW,"
                                + " MEDIUM, HIGH or CRITICAL",
                        s,
                        Field.SEVERITY);
            }
        }
        return out;
    }

    Optional<Path> binary(Environment environment) {
        return path == null || path.isBlank()
                ? Optional.empty()
                : Optional.of(Path.of(environment.workingDirectory()).resolve(path));
    }

    TrivyOptions options(Environment environment) {
        Path cache =
                cacheDir == null || cacheDir.isBlank()
                        ? Path.of(environment.homeDirectory(), ".cache", "trivy")
                        : Path.of(environment.workingDirectory()).resolve(cacheDir);
        Duration limit =
                timeout == null || timeout.isBlank()
                        ? DEFAULT_TIMEOUT
                        : Inputs.duration(Field.TIMEOUT, timeout);
        TrivyOptions options =
                new TrivyOptions(
                        cache,
                        skipDbUpdate,
                        skipJavaDbUpdate,
                        offlineScan,
                        Optional.ofNullable(dbRepository).filter(s -> !s.isBlank()),
                        limit,
                        parsedSeverities(),
                        Optional.empty());
        if (serverUrl != null && !serverUrl.isBlank()) {
            String token =
                    serverToken != null
                            ? serverToken.reveal()
                            : environment.variables().getOrDefault(TOKEN_VARIABLE, "");
            options = options.withServer(new TrivyOptions.Server(serverUrl, token));
        }
        return options;
    }

    /** Builds {@link TrivySettings}; every setter takes the value as the user wrote it. */
    public static final class Builder {
        private String path;
        private String cacheDir;
        private boolean skipDbUpdate;
        private boolean skipJavaDbUpdate;
        private boolean offlineScan;
        private String dbRepository;
        private String timeout;
        private final List<String> severities = new ArrayList<>();
        private String serverUrl;
        private Secret serverToken;

        public Builder path(String value) {
            path = value;
            return this;
        }

        public Builder cacheDir(String value) {
            cacheDir = value;
            return this;
        }

        public Builder skipDbUpdate(boolean value) {
            skipDbUpdate = value;
            return this;
        }

        public Builder skipJavaDbUpdate(boolean value) {
            skipJavaDbUpdate = value;
            return this;
        }

        public Builder offlineScan(boolean value) {
            offlineScan = value;
            return this;
        }

        public Builder dbRepository(String value) {
            dbRepository = value;
            return this;
        }

        public Builder timeout(String value) {
            timeout = value;
            return this;
        }

        public Builder severities(List<String> values) {
            severities.addAll(Specs.copy(values));
            return this;
        }

        public Builder server(String url, Secret token) {
            serverUrl = url;
            serverToken = token;
            return this;
        }

        public TrivySettings build() {
            return new TrivySettings(
                    path,
                    cacheDir,
                    skipDbUpdate,
                    skipJavaDbUpdate,
                    offlineScan,
                    dbRepository,
                    timeout,
                    severities,
                    serverUrl,
                    serverToken);
        }
    }
}
