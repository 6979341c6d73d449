package io.imagegate.reference;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;

/** An image reference or digest that breaks the distribution reference grammar. */
public final class InvalidReferenceException extends ImageGateException {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final String rule;

    public InvalidReferenceException(String input, String rule) {
        super(
                ErrorKind.USAGE,
                Message.of(
                        "reference.invalid", "invalid image reference \"{0}\": {1}", input, rule));
        this.input = input;
        this.rule = rule;
    }

    /** The text that is not a reference. */
    public String input() {
        return input;
    }

    /** The grammar rule it breaks. */
    public String rule() {
        return rule;
    }
}
