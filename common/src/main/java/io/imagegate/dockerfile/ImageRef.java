package io.imagegate.dockerfile;

import io.imagegate.message.Message;
import io.imagegate.reference.ImageReference;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An image a build uses, as found in a Dockerfile.
 *
 * @param file the Dockerfile
 * @param line 1-based line where the reference text starts
 * @param column 1-based column where it starts
 * @param endLine line where it ends (a reference can be split across continuation lines)
 * @param endColumn column just past its end
 * @param written the text as written (before ARG expansion)
 * @param reference the expanded, normalized reference, when it resolves to a valid one
 * @param kind how the build uses it
 * @param error why it could not be resolved, when it could not
 * @param viaArg the global ARG whose default the reference is, when it is written as just {@code
 *     $NAME}
 */
public record ImageRef(
        Path file,
        int line,
        int column,
        int endLine,
        int endColumn,
        String written,
        Optional<ImageReference> reference,
        Kind kind,
        Optional<Message> error,
        Optional<ArgDefault> viaArg) {
    /**
     * Where a global ARG's default value is written (one line), e.g. {@code ARG BASE=alpine:3.20}.
     */
    public record ArgDefault(String name, int line, int column, int endColumn, String written) {}

    public enum Kind {
        /** {@code FROM image} */
        BASE,
        /** {@code COPY --from=image} */
        COPY_FROM,
        /** {@code RUN --mount=...,from=image} */
        MOUNT_FROM,
        /** {@code # syntax=image}: the frontend that parses the Dockerfile */
        SYNTAX,
        /** An image configured outside a Dockerfile, such as Jib's base image in a POM */
        CONFIGURED
    }

    public boolean pinned() {
        return reference.map(ImageReference::isPinned).orElse(false);
    }

    public boolean resolved() {
        return reference.isPresent();
    }
}
