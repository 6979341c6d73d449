package io.imagegate.maven;

import io.imagegate.api.Outcome;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

/**
 * The plugin's one table from outcomes to Maven's: a policy that says no (a FAIL verdict, a gate
 * violation, a stale Dockerfile in check mode) fails the build with {@link MojoFailureException};
 * an operation that could not be carried out (a bad parameter, a registry that refused, Trivy
 * missing) is a {@link MojoExecutionException} with the typed error's message. Neither carries a
 * stack trace unless Maven runs with {@code -e}; only a bug in imagegate keeps its cause.
 */
final class Outcomes {
    private Outcomes() {}

    /**
     * Ends a goal: returns on PASSED, throws otherwise. {@code summary} says what failed for
     * POLICY_FAILED and CHANGES_NEEDED (the violations, the refused images); {@code errors} are the
     * failed operations' errors.
     */
    static void finish(Outcome outcome, String summary, List<ImageGateException> errors)
            throws MojoExecutionException, MojoFailureException {
        switch (outcome) {
            case PASSED -> {}
            case POLICY_FAILED, CHANGES_NEEDED -> throw new MojoFailureException(summary);
            case ERROR -> throw error(errors);
        }
    }

    /**
     * As {@link #finish(Outcome, String, List)}, but what {@code tolerance} lets pass is logged as
     * warnings (each line of it, the fixes included) and the build goes on. {@code violated}: one
     * of the operations found a violation (the worst outcome may be another's error).
     */
    static void finish(
            Outcome outcome,
            boolean violated,
            String summary,
            List<ImageGateException> errors,
            Tolerance tolerance,
            Log log)
            throws MojoExecutionException, MojoFailureException {
        if (outcome == Outcome.ERROR) {
            if (errors.isEmpty() || !errors.stream().allMatch(e -> tolerance.tolerates(e.kind()))) {
                throw error(errors);
            }
            error(errors).getMessage().lines().forEach(log::warn);
            log.warn(
                    "<failOnError>/-Dregistry.failOnError is false: the build goes on, but "
                            + (errors.size() == 1 ? "that was" : "those were")
                            + " not checked");
        }
        if (violated || outcome == Outcome.POLICY_FAILED || outcome == Outcome.CHANGES_NEEDED) {
            if (tolerance.failOnViolation()) {
                throw new MojoFailureException(summary);
            }
            summary.lines().forEach(log::warn);
            log.warn("<failOnViolation>/-Dregistry.failOnViolation is false: the build goes on");
        }
    }

    static MojoExecutionException error(List<ImageGateException> errors) {
        StringBuilder text = new StringBuilder();
        Throwable bug = null;
        for (ImageGateException e : errors) {
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(e.render(MavenVocabulary.INSTANCE));
            if (e.kind() == ErrorKind.INTERNAL && bug == null) {
                bug = e.getCause() == null ? e : e.getCause();
            }
        }
        if (bug != null) {
            text.append(" (run Maven with -e for the details)");
        }
        // The typed error's own exception is not the cause: Maven appends causes' messages, which
        // are in the library's words.
        return bug == null
                ? new MojoExecutionException(text.toString())
                : new MojoExecutionException(text.toString(), bug);
    }
}
