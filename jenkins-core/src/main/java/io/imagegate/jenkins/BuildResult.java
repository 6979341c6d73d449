package io.imagegate.jenkins;

import io.imagegate.api.Outcome;

/**
 * What a step does to the build, named as Jenkins names build results ({@code hudson.model.Result}). The one table from
 * outcomes to results lives here; the plugin applies it, and the library's {@code vars/} steps apply the same table to
 * the CLI's exit codes (a test holds them equal).
 */
public enum BuildResult {
    /** The step passes; the build goes on. */
    SUCCESS,
    /** The step returns, the build and the stage are marked UNSTABLE. */
    UNSTABLE,
    /** The step fails the build with a message. */
    FAILURE;

    /**
     * The table: a pass is a success; a policy failure or needed changes fail the build, or with {@code unstable: true}
     * mark it UNSTABLE; an error (bad input, unreachable registry, Trivy failing) always fails it, since nothing was judged.
     */
    public static BuildResult of(Outcome outcome, boolean unstable) {
        return switch (outcome) {
            case PASSED -> SUCCESS;
            case POLICY_FAILED, CHANGES_NEEDED -> unstable ? UNSTABLE : FAILURE;
            case ERROR -> FAILURE;
        };
    }
}
