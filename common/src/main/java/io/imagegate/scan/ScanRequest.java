package io.imagegate.scan;

import io.imagegate.reference.ImageReference;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What to scan and how.
 *
 * @param image       the image, by tag or digest (a tag is resolved to a digest first)
 * @param policyFile  the policy; the default fails on HIGH and CRITICAL
 * @param reportDir   where to write JSON, SARIF, JUnit XML and HTML reports
 * @param trivyPath   the Trivy binary; else {@code TRIVY_PATH}, else the PATH
 * @param trivy       how Trivy runs
 * @param environment the environment Trivy is found in and runs with (less every {@code TRIVY_*})
 */
public record ScanRequest(ImageReference image, Optional<Path> policyFile, Optional<Path> reportDir, Optional<Path> trivyPath,
                          TrivyOptions trivy, Map<String, String> environment) {
    public ScanRequest {
        environment = Map.copyOf(environment);
    }
}
