package io.imagegate.registry;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;

/**
 * A registry answered with an error, or could not be reached. The message says which registry and
 * what to do.
 */
public class RegistryException extends ImageGateException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorCode;

    public RegistryException(ErrorKind kind, Message message, int status, String errorCode) {
        super(kind, message);
        this.status = status;
        this.errorCode = errorCode == null ? "" : errorCode;
    }

    /** No answer came (status 0): a connection failure, a timeout, a stall. */
    public static RegistryException unreachable(ErrorKind kind, Message message, Throwable cause) {
        RegistryException e = new RegistryException(kind, message, 0, "");
        e.withCause(cause);
        return e;
    }

    /** The HTTP status, or 0 when no response came. */
    public int status() {
        return status;
    }

    /** The distribution error code (e.g. {@code DENIED}, {@code MANIFEST_UNKNOWN}), or empty. */
    public String errorCode() {
        return errorCode;
    }

    /**
     * The kind an HTTP error answer is: authentication, not found, transient, or a refusal of what
     * was sent.
     */
    public static ErrorKind kindOf(int status, String errorCode) {
        String code = errorCode == null ? "" : errorCode;
        if (status == 401
                || status == 403
                || status == 407
                || code.equals("DENIED")
                || code.equals("UNAUTHORIZED")) {
            return ErrorKind.AUTHENTICATION;
        }
        if (status == 404 || code.endsWith("_UNKNOWN") || code.equals("NAME_UNKNOWN")) {
            return ErrorKind.NOT_FOUND;
        }
        if (status == 429 || status >= 500 || status == 0 || code.equals("TOOMANYREQUESTS")) {
            return ErrorKind.TRANSIENT;
        }
        if (code.equals("DIGEST_INVALID") || code.equals("SIZE_INVALID")) {
            return ErrorKind.INTEGRITY;
        }
        return ErrorKind.CONFIGURATION;
    }
}
