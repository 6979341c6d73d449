package io.imagegate.registry;

import io.imagegate.ImageGateException;

/** A registry answered with an error, or could not be reached. The message says which registry and what to do. */
public class RegistryException extends ImageGateException {
    private final int status;
    private final String errorCode;

    public RegistryException(String message, int status, String errorCode) {
        super(message);
        this.status = status;
        this.errorCode = errorCode == null ? "" : errorCode;
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.errorCode = "";
    }

    /** The HTTP status, or 0 when no response came. */
    public int status() {
        return status;
    }

    /** The distribution error code (e.g. {@code DENIED}, {@code MANIFEST_UNKNOWN}), or empty. */
    public String errorCode() {
        return errorCode;
    }
}
