package io.imagegate.dockerfile;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import java.nio.file.Path;

/** A Dockerfile BuildKit would refuse; the message names the file and line. */
public final class DockerfileException extends ImageGateException {
    private static final long serialVersionUID = 1L;

    private final int line;

    public DockerfileException(Path file, int line, String problem) {
        this(file, line, Message.of("dockerfile.invalid", "{0}", problem));
    }

    public DockerfileException(Path file, int line, Message problem) {
        super(
                ErrorKind.CONFIGURATION,
                Message.of(
                        "dockerfile.invalid", "{0}:{1}: {2}", String.valueOf(file), line, problem),
                null,
                null);
        this.line = line;
    }

    /** The 1-based line BuildKit would refuse. */
    public int line() {
        return line;
    }
}
