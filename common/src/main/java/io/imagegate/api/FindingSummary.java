package io.imagegate.api;

/**
 * One finding, as plain values.
 *
 * @param id the vulnerability ID
 * @param packageName the installed package
 * @param installedVersion its version
 * @param fixedVersion the version that fixes it, or empty
 * @param severity UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL
 * @param judgement failing, allowlisted, below-threshold or ignored-unfixed
 * @param reason for an allowlisted finding, the allowlist entry's reason; else empty
 */
public record FindingSummary(
        String id,
        String packageName,
        String installedVersion,
        String fixedVersion,
        String severity,
        String judgement,
        String reason) {
    /** {@code id package version} — a key for comparing verdicts. */
    public String key() {
        return id + " " + packageName + " " + installedVersion;
    }
}
