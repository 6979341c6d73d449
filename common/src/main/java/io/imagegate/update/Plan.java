package io.imagegate.update;

import io.imagegate.message.Message;
import io.imagegate.reference.Digest;
import io.imagegate.reference.ImageReference;
import io.imagegate.vetting.VerdictDocument;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One computation of an update, from which every output is made: the files' new text, the images
 * re-pinned (or already current) with what their verdicts say, and the references left alone.
 *
 * @param files every file read, with its text as read and as updated
 * @param images every trusted tag whose newest digest is vetted, re-pinned or already current
 * @param held references under a trusted prefix left as they are, each with the reason
 */
public record Plan(List<FileEdit> files, List<ImageChange> images, List<Held> held) {
    public Plan {
        files = List.copyOf(files);
        images = List.copyOf(images);
        held = List.copyOf(held);
    }

    /** Whether any file changes. */
    public boolean changed() {
        return files.stream().anyMatch(FileEdit::changed);
    }

    /** The files that change. */
    public List<FileEdit> changedFiles() {
        return files.stream().filter(FileEdit::changed).toList();
    }

    /** The images re-pinned. */
    public List<ImageChange> changedImages() {
        return images.stream().filter(i -> !i.places().isEmpty()).toList();
    }

    /** What kind of file. */
    public enum Kind {
        DOCKERFILE,
        POM
    }

    /**
     * One file: its text as read and as updated (the same when nothing changes).
     *
     * @param lines the 1-based lines that change
     */
    public record FileEdit(
            Path file, Kind kind, String original, String updated, List<Integer> lines) {
        public FileEdit {
            lines = List.copyOf(lines);
        }

        public boolean changed() {
            return !original.equals(updated);
        }
    }

    /** Where a reference is written. */
    public record Place(Path file, int line) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    /**
     * A trusted tag and its newest vetted digest.
     *
     * @param tag the image by tag
     * @param from the digests the references re-pinned were pinned to (none for a reference written
     *     by tag alone)
     * @param to the newest vetted digest
     * @param vettedAt when its verdict was made
     * @param verdict the verdict artifact's digest
     * @param signer who signed the verdict, in words
     * @param fixed findings of the old digests that the new one has no more
     * @param introduced findings of the new digest that the old ones did not have
     * @param stillPresent findings of both
     * @param expiring allowlist entries the verdict rests on that expire soon
     * @param places where it was re-pinned (none: every reference is current)
     */
    public record ImageChange(
            ImageReference tag,
            List<Digest> from,
            Digest to,
            Instant vettedAt,
            Digest verdict,
            String signer,
            List<Finding> fixed,
            List<Finding> introduced,
            List<Finding> stillPresent,
            List<VerdictDocument.Allowance> expiring,
            List<Place> places) {
        public ImageChange {
            from = List.copyOf(from);
            fixed = List.copyOf(fixed);
            introduced = List.copyOf(introduced);
            stillPresent = List.copyOf(stillPresent);
            expiring = List.copyOf(expiring);
            places = List.copyOf(places);
        }
    }

    /** A reference left as it is, and why. */
    public record Held(Path file, int line, String written, Message reason) {}
}
