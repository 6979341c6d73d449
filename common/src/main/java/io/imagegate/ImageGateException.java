package io.imagegate;

/**
 * An expected failure whose message is written for the user: it names the input and what to do.
 * Front ends print {@link #getMessage()} without a stack trace. Messages never contain secrets.
 */
public class ImageGateException extends RuntimeException {
    public ImageGateException(String message) {
        super(message);
    }

    public ImageGateException(String message, Throwable cause) {
        super(message, cause);
    }
}
