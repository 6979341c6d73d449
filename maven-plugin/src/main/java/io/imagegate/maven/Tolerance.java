package io.imagegate.maven;

import io.imagegate.message.ErrorKind;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a goal that judges (gate, scan) lets pass while a team rolls it out: with {@code
 * failOnViolation} false, a policy's no is logged as warnings and the build goes on (the Enforcer's
 * {@code <fail>false</fail>}); with {@code failOnError} false, so is an error of the registry's or
 * the scanner's, as the Jenkins steps' {@code failOnError: false} does. Never a bad parameter or
 * setting (it would fail the same way every build, hidden as a warning), content failing its digest
 * (possibly an attack), an interrupted build or a bug.
 *
 * @param failOnViolation whether a violation or a refused image fails the build
 * @param failOnError whether a registry's or the scanner's error fails the build
 */
record Tolerance(boolean failOnViolation, boolean failOnError) {
    /** Everything fails the build: the goals that do not judge. */
    static final Tolerance NONE = new Tolerance(true, true);

    /** The errors {@code failOnError} false lets pass (as the Jenkins steps' table). */
    static final Set<ErrorKind> TOLERABLE =
            EnumSet.of(
                    ErrorKind.AUTHENTICATION,
                    ErrorKind.NOT_FOUND,
                    ErrorKind.TRANSIENT,
                    ErrorKind.TOOL_FAILURE);

    /** Whether an error of this kind is logged instead of failing the build. */
    boolean tolerates(ErrorKind kind) {
        return !failOnError && TOLERABLE.contains(kind);
    }
}
