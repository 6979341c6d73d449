package io.imagegate.scan;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Trivy's failures as typed errors: a table of rules, tried in order, each matching Trivy 0.74's
 * own words in its stderr (the lines are in {@code TrivyFailuresTest}, captured from real runs).
 * The most specific come first: a DB problem and the server's token are told apart before anything
 * about the image, whose messages all begin with "unable to find the specified image" whatever went
 * wrong.
 */
final class TrivyFailures {
    /** One rule: what Trivy says, what kind of error it is, and the message. */
    record Rule(Pattern says, ErrorKind kind, String code, String template, Object extra) {
        static Rule of(String regex, ErrorKind kind, String code, String template, Object extra) {
            return new Rule(
                    Pattern.compile(regex, Pattern.CASE_INSENSITIVE), kind, code, template, extra);
        }
    }

    /**
     * {0} the subject, {1} the exit code, {2} Trivy's last error line, {3} the input to look at.
     */
    static final List<Rule> RULES =
            List.of(
                    Rule.of(
                            "twirp error unauthenticated",
                            ErrorKind.AUTHENTICATION,
                            "trivy.server-token",
                            "the Trivy server refused the token for {0} (exit {1}): {2}; check the server''s token ({3})",
                            Field.SCAN_SERVER),
                    Rule.of(
                            "DB error|--skip-db-update cannot be specified|failed to open db|failed to download vulnerability DB"
                                    + "|vulnerability DB|db metadata|trivy\\.db",
                            ErrorKind.TOOL_FAILURE,
                            "trivy.db",
                            "Trivy''s vulnerability DB is missing or unusable for {0} (exit {1}): {2};"
                                    + " update it (trivy image --download-db-only), or point the cache directory ({3}) at one",
                            Field.CACHE_DIR),
                    Rule.of(
                            "UNAUTHORIZED|DENIED|authentication required|401 Unauthorized|403 Forbidden",
                            ErrorKind.AUTHENTICATION,
                            "trivy.auth",
                            "Trivy could not authenticate to the registry of {0} (exit {1}): {2}; check the credentials for that registry ({3})",
                            Field.REGISTRY_CREDENTIALS),
                    Rule.of(
                            "MANIFEST_UNKNOWN|NAME_UNKNOWN|manifest unknown|BLOB_UNKNOWN",
                            ErrorKind.NOT_FOUND,
                            "trivy.not-found",
                            "Trivy could not find {0} (exit {1}): {2}",
                            ""),
                    Rule.of(
                            "connection refused|no such host|i/o timeout|TLS handshake timeout|context deadline exceeded|connection reset",
                            ErrorKind.TRANSIENT,
                            "trivy.unreachable",
                            "Trivy could not reach the registry of {0} (exit {1}): {2}; try again when"
                                    + " it answers{3}",
                            ""));

    private TrivyFailures() {}

    /**
     * The typed error for a Trivy run that exited non-zero; anything no rule names is a tool
     * failure with Trivy's words.
     */
    static ImageGateException classify(String subject, BoundedProcess.Outcome out) {
        String tail = out.stderrTail();
        for (Rule rule : RULES) {
            if (rule.says().matcher(tail).find()) {
                return ImageGateException.of(
                        rule.kind(),
                        rule.code(),
                        rule.template(),
                        subject,
                        out.exitCode(),
                        out.lastErrorLine(),
                        rule.extra());
            }
        }
        return ImageGateException.of(
                ErrorKind.TOOL_FAILURE,
                "trivy.failed",
                "Trivy failed scanning {0} (exit {1}): {2}",
                subject,
                out.exitCode(),
                out.lastErrorLine());
    }
}
