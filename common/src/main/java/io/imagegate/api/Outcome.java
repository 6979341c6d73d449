package io.imagegate.api;

/**
 * How an operation ended. Each front end maps these onto its own conventions in one table: CLI exit codes,
 * Maven build failure or error, Jenkins build result.
 */
public enum Outcome {
    /** Done, and nothing fails: the image is imported, passes, the Dockerfiles are clean. */
    PASSED,
    /** The policy said no: a FAIL verdict, a gate violation. The build should fail (or be marked unstable). */
    POLICY_FAILED,
    /** Something needs changing before it passes: a stale Dockerfile in check mode, an unresolved reference. */
    CHANGES_NEEDED,
    /** The operation could not be carried out; {@link OperationResult#error()} says why. */
    ERROR
}
