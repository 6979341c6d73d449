package io.imagegate.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.imagegate.finding.Vulnerability;
import io.imagegate.message.Message;
import io.imagegate.policy.Verdict;
import java.util.Locale;

/**
 * What every report format says the same way: an image's name, a finding's line, safe links and XML
 * text.
 */
final class Findings {
    private Findings() {}

    /** Indented JSON, for the JSON and SARIF reports. */
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** An image as reports name it: the reference, and the platform of a multi-arch image. */
    static String subject(Verdict v) {
        return v.image() + v.platform().map(p -> " (" + p + ")").orElse("");
    }

    /** One finding as a line for people: severity, id, package, installed version and its fix. */
    static String line(Vulnerability f) {
        return f.severity()
                + " "
                + f.id()
                + " "
                + f.packageName()
                + " "
                + f.installedVersion()
                + f.fixedVersion().map(x -> " -> " + x).orElse(" (no fix)");
    }

    /**
     * A judgement's name in machine-readable reports: {@code failing}, {@code allowlisted}, {@code
     * below-threshold}, {@code ignored-unfixed}.
     */
    static String judgementName(Verdict.Status status) {
        return status.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** How the policy judged a finding, for people: with an allowlist entry's expiry and reason. */
    static String judgement(Verdict.Judged j) {
        return switch (j.status()) {
            case FAILING -> "failing";
            case ALLOWLISTED ->
                    j.entry()
                            .map(e -> "allowlisted until " + e.expires() + ": " + e.reason())
                            .orElse("allowlisted");
            case BELOW_THRESHOLD -> "below the policy's threshold";
            case IGNORED_UNFIXED ->
                    "ignored unfixed: no fixed version, and the policy ignores unfixed findings";
        };
    }

    /**
     * A link target only when it is an http(s) URL: a {@code javascript:} or {@code data:} URL from
     * scanner data is text.
     */
    static java.util.Optional<String> safeUrl(String url) {
        if (url == null || url.isBlank()) {
            return java.util.Optional.empty();
        }
        try {
            java.net.URI uri = new java.net.URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https"))
                            && uri.getRawAuthority() != null
                    ? java.util.Optional.of(uri.toString())
                    : java.util.Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Text safe in XML 1.0: characters XML forbids (most controls, lone surrogates) written as
     * visible escapes.
     */
    static String xml(String s) {
        return Message.neutralize(s);
    }
}
