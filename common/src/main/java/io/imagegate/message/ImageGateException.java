package io.imagegate.message;

import java.util.Objects;
import java.util.Optional;

/**
 * Every expected failure of imagegate: a {@link ErrorKind kind} to branch on, a structured {@link
 * Message} that says what failed and what to do, and for a bad input the {@link Field} it came
 * from. Front ends print {@link #render(Vocabulary)} without a stack trace. Messages never contain
 * secrets.
 */
public class ImageGateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final Message text;
    private final Field field;

    public ImageGateException(ErrorKind kind, Message message) {
        this(kind, message, null, null);
    }

    public ImageGateException(ErrorKind kind, Message message, Field field, Throwable cause) {
        super(message.toString());
        if (cause != null) {
            initCause(cause);
        }
        this.kind = Objects.requireNonNull(kind, "kind");
        this.text = message;
        this.field = field;
    }

    public static ImageGateException usage(
            Field field, String code, String template, Object... args) {
        return new ImageGateException(
                ErrorKind.USAGE, Message.of(code, template, args), field, null);
    }

    public static ImageGateException of(
            ErrorKind kind, String code, String template, Object... args) {
        return new ImageGateException(kind, Message.of(code, template, args));
    }

    public static ImageGateException configuration(String code, String template, Object... args) {
        return of(ErrorKind.CONFIGURATION, code, template, args);
    }

    public static ImageGateException notFound(String code, String template, Object... args) {
        return of(ErrorKind.NOT_FOUND, code, template, args);
    }

    public static ImageGateException integrity(String code, String template, Object... args) {
        return of(ErrorKind.INTEGRITY, code, template, args);
    }

    public static ImageGateException internal(String code, String template, Object... args) {
        return of(ErrorKind.INTERNAL, code, template, args);
    }

    /** The same failure, with a cause kept for debug output (never shown to a user by default). */
    public ImageGateException withCause(Throwable cause) {
        if (getCause() == null && cause != null && cause != this) {
            initCause(cause);
        }
        return this;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** The structured message. */
    public Message message() {
        return text;
    }

    /** The input at fault, for a {@link ErrorKind#USAGE} error. */
    public Optional<Field> field() {
        return Optional.ofNullable(field);
    }

    public boolean retryable() {
        return kind.retryable();
    }

    /** The message in a front end's words. */
    public String render(Vocabulary vocabulary) {
        return text.render(vocabulary);
    }
}
