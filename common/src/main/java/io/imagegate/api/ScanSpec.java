package io.imagegate.api;

import io.imagegate.message.Field;
import io.imagegate.message.Operation;

/**
 * Scan an image (every platform of a multi-arch image, by digest) and judge it against a policy.
 *
 * @param image the image, by tag or digest
 * @param policy the policy file; null for the default (fail on HIGH and CRITICAL)
 * @param reportDir where to write JSON, SARIF, JUnit XML and HTML reports; null for none
 * @param trivy how Trivy runs
 */
public record ScanSpec(String image, String policy, String reportDir, TrivySettings trivy)
        implements Spec {
    public ScanSpec {
        trivy = trivy == null ? TrivySettings.defaults() : trivy;
    }

    public static ScanSpec of(String image, String policy, String reportDir, TrivySettings trivy) {
        return new ScanSpec(image, policy, reportDir, trivy);
    }

    @Override
    public Operation operation() {
        return Operation.SCAN;
    }

    @Override
    public void validate() {
        Specs.reference(Field.IMAGE, image);
        trivy.validate();
    }
}
