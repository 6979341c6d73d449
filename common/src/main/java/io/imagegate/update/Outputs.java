package io.imagegate.update;

import io.imagegate.dockerfile.DockerfileRewriter;
import io.imagegate.message.ImageGateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * Writing what an update computed: the files in place, with the rewrite's safety (each replaced
 * atomically, mode and owner kept; a read-only file, a hard-linked one or one changed since it was
 * read refused), after every one of them was checked, so that a refusal writes none; and the patch,
 * summary and datasource documents, each written whole or not at all.
 */
public final class Outputs {
    private Outputs() {}

    /** Writes every changed file, or none when one of them changed since it was read. */
    public static void writeFiles(List<Plan.FileEdit> edits) {
        List<Plan.FileEdit> changed = edits.stream().filter(Plan.FileEdit::changed).toList();
        changed.forEach(Outputs::unchanged);
        for (Plan.FileEdit edit : changed) {
            DockerfileRewriter.write(
                    new DockerfileRewriter.Result(
                            edit.file(), edit.original(), edit.updated(), List.of()));
        }
    }

    /**
     * Refuses a file whose bytes are no longer those read: a patch or a commit made of it would
     * undo someone's edit.
     */
    public static void unchanged(Plan.FileEdit edit) {
        byte[] now;
        try {
            now = Files.readAllBytes(edit.file());
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    "update.reread",
                    "cannot read {0} again: {1}; nothing was written",
                    edit.file(),
                    String.valueOf(e.getMessage()));
        }
        if (!Arrays.equals(now, edit.original().getBytes(StandardCharsets.UTF_8))) {
            throw ImageGateException.configuration(
                    "update.changed",
                    "{0} changed since it was read (edited, or updated at the same time); nothing"
                            + " was written: run the update again",
                    edit.file());
        }
    }

    /** Writes {@code content} to {@code file} through a temporary file beside it and a rename. */
    public static void write(Path file, String content) {
        Path target = file.toAbsolutePath().normalize();
        Path directory = target.getParent();
        Path temp = null;
        try {
            Files.createDirectories(directory);
            temp = Files.createTempFile(directory, "." + target.getFileName(), ".imagegate");
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.move(
                    temp,
                    target,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            temp = null;
        } catch (IOException e) {
            throw ImageGateException.configuration(
                            "update.write-failed",
                            "cannot write {0}: {1}",
                            file,
                            String.valueOf(e.getMessage()))
                    .withCause(e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // named .<file>…imagegate beside it; nothing else was touched
                }
            }
        }
    }
}
