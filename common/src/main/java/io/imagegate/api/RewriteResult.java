package io.imagegate.api;

import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import java.util.List;
import java.util.Optional;

/**
 * What a rewrite changed (or, in check mode, would change). CHANGES_NEEDED in check mode when
 * anything would change.
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
     * @param skipped references left alone, each with the reason ({@code file:line: reason})
     */
    public record FileChange(
            String file,
            boolean changed,
            boolean written,
            List<String> diff,
            List<Message> skipped) {
        public FileChange {
            diff = List.copyOf(diff);
            skipped = List.copyOf(skipped);
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
}
