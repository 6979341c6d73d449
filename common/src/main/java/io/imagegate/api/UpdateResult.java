package io.imagegate.api;

import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import java.util.List;
import java.util.Optional;

/**
 * What an update changed (or, in check mode or with a patch, would change). CHANGES_NEEDED in check
 * mode when anything would change.
 *
 * @param files every file read
 * @param images every trusted tag whose newest digest is vetted
 * @param held references under a trusted prefix left as they are, each with the reason
 * @param summary the Markdown summary (also when not written to a file)
 * @param patchFile the patch written, or empty
 * @param summaryFile the summary written, or empty
 * @param renovateFiles the Renovate datasource documents written
 * @param branch the branch committed on, or empty
 * @param commit the commit, or empty
 */
public record UpdateResult(
        Outcome outcome,
        Optional<ImageGateException> error,
        List<FileChange> files,
        List<Image> images,
        List<Message> held,
        String summary,
        String patchFile,
        String summaryFile,
        List<String> renovateFiles,
        String branch,
        String commit)
        implements OperationResult {
    /**
     * One file.
     *
     * @param kind {@code dockerfile} or {@code pom}
     * @param lines the lines that change
     * @param diff {@code file:N: - old} / {@code file:N: + new} lines
     */
    public record FileChange(
            String file,
            String kind,
            boolean changed,
            boolean written,
            List<Integer> lines,
            List<String> diff) {
        public FileChange {
            lines = List.copyOf(lines);
            diff = List.copyOf(diff);
        }
    }

    /**
     * A trusted tag and its newest vetted digest.
     *
     * @param from the digests re-pinned from
     * @param places {@code file:line} where it was re-pinned; none when already current
     * @param fixed findings fixed, {@code SEVERITY ID package version}
     */
    public record Image(
            String image,
            List<String> from,
            String digest,
            String vettedAt,
            String verdict,
            String signer,
            List<String> fixed,
            List<String> introduced,
            List<String> stillPresent,
            List<String> places) {
        public Image {
            from = List.copyOf(from);
            fixed = List.copyOf(fixed);
            introduced = List.copyOf(introduced);
            stillPresent = List.copyOf(stillPresent);
            places = List.copyOf(places);
        }

        public boolean changed() {
            return !places.isEmpty();
        }
    }

    public UpdateResult {
        files = List.copyOf(files);
        images = List.copyOf(images);
        held = List.copyOf(held);
        renovateFiles = List.copyOf(renovateFiles);
    }

    static UpdateResult failed(ImageGateException e) {
        return new UpdateResult(
                Outcome.ERROR,
                Optional.of(e),
                List.of(),
                List.of(),
                List.of(),
                "",
                "",
                "",
                List.of(),
                "",
                "");
    }

    public boolean changed() {
        return files.stream().anyMatch(FileChange::changed);
    }

    /** The files that change (or would). */
    public List<String> changedFiles() {
        return files.stream().filter(FileChange::changed).map(FileChange::file).toList();
    }
}
