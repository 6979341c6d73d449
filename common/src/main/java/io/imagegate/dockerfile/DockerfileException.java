package io.imagegate.dockerfile;

import io.imagegate.ImageGateException;

import java.nio.file.Path;

/** A Dockerfile BuildKit would refuse; the message names the file and line. */
public final class DockerfileException extends ImageGateException {
    public DockerfileException(Path file, int line, String problem) {
        super(file + ":" + line + ": " + problem);
    }
}
