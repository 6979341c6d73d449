package io.imagegate.api;

import io.imagegate.message.Message;
import java.util.Optional;

/**
 * An image a build uses, where it is written.
 *
 * @param file the Dockerfile (or POM)
 * @param line 1-based line where the reference starts
 * @param column 1-based column where it starts
 * @param endLine line where it ends
 * @param endColumn column just past its end
 * @param kind base, copy-from, mount-from, syntax, or configured (outside a Dockerfile)
 * @param written the text as written
 * @param reference the normalized reference, when it resolves
 * @param pinned pinned by digest
 * @param problem why it does not resolve, when it does not
 */
public record Reference(
        String file,
        int line,
        int column,
        int endLine,
        int endColumn,
        String kind,
        String written,
        Optional<String> reference,
        boolean pinned,
        Optional<Message> problem) {}
