package io.imagegate.api;

import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import java.util.List;
import java.util.Optional;

/**
 * What a rewrite changed (or, in check mode, would change). CHANGES_NEEDED in check mode when
 * anything would change or a reference needs an edit by hand.
 */
public record RewriteResult(
        Outcome outcome, Optional<ImageGateException> error, List<FileChange> files)
        implements OperationResult {
    /**
     * One Dockerfile.
     *
     * @param file the file
     * @param changed whether its text changed (or would)
     * @param written whether it was written
     * @param diff {@code file:N: - old} / {@code file:N: + new} lines
     * @param skipped references left alone (or unpinned), each with the reason ({@code file:line:
     *     reason})
     * @param needsEdit those of {@code skipped} that need an edit by hand (all but those no mapping
     *     rule covers): a check fails for them
     */
    public record FileChange(
            String file,
            boolean changed,
            boolean written,
            List<String> diff,
            List<Message> skipped,
            List<Message> needsEdit) {
        public FileChange {
            diff = List.copyOf(diff);
            skipped = List.copyOf(skipped);
            needsEdit = List.copyOf(needsEdit);
        }

        /** Nothing that needs an edit by hand. */
        public FileChange(
                String file,
                boolean changed,
                boolean written,
                List<String> diff,
                List<Message> skipped) {
            this(file, changed, written, diff, skipped, List.of());
        }
    }

    public RewriteResult {
        files = List.copyOf(files);
    }

    static RewriteResult failed(ImageGateException e) {
        return new RewriteResult(Outcome.ERROR, Optional.of(e), List.of());
    }

    public boolean changed() {
        return files.stream().anyMatch(FileChange::changed);
    }

    /** Whether some reference needs an edit by hand. */
    public boolean needsEdit() {
        return files.stream().anyMatch(f -> !f.needsEdit().isEmpty());
    }
}
