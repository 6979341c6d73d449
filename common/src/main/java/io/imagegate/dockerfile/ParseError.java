package io.imagegate.dockerfile;

/**
 * A refusal BuildKit would make, with its message: the parsing code throws it where BuildKit
 * returns an error, and {@link DockerfileReader} turns it into a {@link DockerfileException} naming
 * the file. Checked, so that no parse step can let one escape as a crash; without a stack trace, as
 * it is an answer, not a fault.
 */
final class ParseError extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * The 1-based line it concerns, 0 when the caller knows it better (an instruction's own start
     * line).
     */
    private final int line;

    ParseError(String message) {
        this(0, message);
    }

    ParseError(int line, String message) {
        super(message, null, false, false);
        this.line = line;
    }

    int line() {
        return line;
    }
}
