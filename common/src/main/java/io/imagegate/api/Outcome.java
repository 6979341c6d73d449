package io.imagegate.api;

/**
 * How an operation ended. Each front end maps these onto its own conventions in one table: CLI exit
 * codes, Maven build failure or error, Jenkins build result.
 */
public enum Outcome {
    /** Done, and nothing fails: the image is imported, passes, the Dockerfiles are clean. */
    PASSED,
    /**
     * The policy said no: a FAIL verdict, a gate violation. The build should fail (or be marked
     * unstable).
     */
    POLICY_FAILED,
    /**
     * Something needs changing before it passes: a stale Dockerfile in check mode, an unresolved
     * reference.
     */
    CHANGES_NEEDED,
    /** The operation could not be carried out; {@link OperationResult#error()} says why. */
    ERROR;

    /**
     * The worst of several outcomes: ERROR, then POLICY_FAILED, then CHANGES_NEEDED; PASSED when
     * there is none of those.
     */
    public static Outcome worst(java.util.Collection<Outcome> outcomes) {
        for (Outcome o : java.util.List.of(ERROR, POLICY_FAILED, CHANGES_NEEDED)) {
            if (outcomes.contains(o)) {
                return o;
            }
        }
        return PASSED;
    }
}
