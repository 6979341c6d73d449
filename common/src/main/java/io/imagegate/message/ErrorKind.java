package io.imagegate.message;

/**
 * What kind of failure an {@link ImageGateException} is, so front ends branch on kinds, never on
 * message text: a Maven goal tells a broken build from a failed one, a Jenkins step a retryable
 * fault from a configuration mistake.
 */
public enum ErrorKind {
    /** A bad input value; {@link ImageGateException#field()} names it. */
    USAGE(false),
    /**
     * A file or setting the user supplies is wrong: policy, sync file, Dockerfile, CA file, Trivy
     * missing or too old.
     */
    CONFIGURATION(false),
    /**
     * A registry (or Trivy on its behalf) refused the credentials, or they do not allow the
     * operation.
     */
    AUTHENTICATION(false),
    /** The image, tag, manifest or blob does not exist. */
    NOT_FOUND(false),
    /** No answer, a timeout, or 429/5xx after the retries: worth trying again later. */
    TRANSIENT(true),
    /** Content did not match its digest, or a registry served something malformed or hostile. */
    INTEGRITY(false),
    /**
     * An external tool (Trivy) failed for a reason of its own; its exit code and last stderr lines
     * are in the message.
     */
    TOOL_FAILURE(false),
    /** The operation was interrupted (a signal, a cancelled build). */
    INTERRUPTED(true),
    /** A bug in imagegate: never a user's mistake. */
    INTERNAL(false);

    private final boolean retryable;

    ErrorKind(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether running the same operation again may succeed without changing anything. */
    public boolean retryable() {
        return retryable;
    }
}
