package io.imagegate.jenkins;

import io.imagegate.api.Outcome;
import io.imagegate.message.ErrorKind;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a step does to the build, named as Jenkins names build results ({@code
 * hudson.model.Result}). The one table from outcomes to results lives here; the plugin applies it,
 * and the library's {@code vars/} steps apply the same table to the CLI's exit codes and documents
 * (a test holds them equal).
 */
public enum BuildResult {
    /** The step passes; the build goes on. */
    SUCCESS,
    /** The step returns, the build and the stage are marked UNSTABLE. */
    UNSTABLE,
    /** The step fails the build with a message. */
    FAILURE;

    /**
     * The errors {@code failOnError: false} turns into UNSTABLE: the registry's (it refused the
     * credentials, the image is not there, it did not answer) and the scanner's (Trivy failed).
     * Never a bad argument or setting (USAGE, CONFIGURATION: it would fail the same way every
     * build, hidden as a warning), content failing its digest (INTEGRITY: possibly an attack), an
     * interrupted build, or a bug.
     */
    static final Set<ErrorKind> TOLERABLE =
            EnumSet.of(
                    ErrorKind.AUTHENTICATION,
                    ErrorKind.NOT_FOUND,
                    ErrorKind.TRANSIENT,
                    ErrorKind.TOOL_FAILURE);

    /**
     * The table: a pass is a success; a policy failure or needed changes fail the build, or with
     * {@code unstable: true} mark it UNSTABLE; an error (bad input, unreachable registry, Trivy
     * failing) fails it, since nothing was judged.
     */
    public static BuildResult of(Outcome outcome, boolean unstable) {
        return switch (outcome) {
            case PASSED -> SUCCESS;
            case POLICY_FAILED, CHANGES_NEEDED -> unstable ? UNSTABLE : FAILURE;
            case ERROR -> FAILURE;
        };
    }

    /**
     * The whole table: as {@link #of(Outcome, boolean)}, and with {@code failOnError: false} a
     * registry or scanner error ({@link #tolerable}) marks the build UNSTABLE instead of failing
     * it. Never a success: nothing was judged.
     *
     * @param error the error's kind; null for an outcome that is no error
     */
    public static BuildResult of(
            Outcome outcome, ErrorKind error, boolean unstable, boolean failOnError) {
        if (outcome == Outcome.ERROR && !failOnError && tolerable(error)) {
            return UNSTABLE;
        }
        return of(outcome, unstable);
    }

    /**
     * Whether {@code failOnError: false} turns an error of this kind into UNSTABLE; an unknown kind
     * never is.
     */
    public static boolean tolerable(ErrorKind error) {
        return error != null && TOLERABLE.contains(error);
    }
}
