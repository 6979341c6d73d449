package io.imagegate.api;

import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import java.util.List;
import java.util.Optional;

/**
 * The images the Dockerfiles use. CHANGES_NEEDED when a reference does not resolve, or (with
 * verify) a tag written beside a digest now holds another image.
 *
 * @param references every reference, in file order
 * @param stale with verify: references whose tag moved, or could not be checked (one message each)
 * @param lines the references as console lines
 * @param json the references as a JSON array
 */
public record RefsResult(
        Outcome outcome,
        Optional<ImageGateException> error,
        List<Reference> references,
        List<Message> stale,
        List<String> lines,
        String json)
        implements OperationResult {
    public RefsResult {
        references = List.copyOf(references);
        stale = List.copyOf(stale);
        lines = List.copyOf(lines);
    }

    static RefsResult failed(ImageGateException e) {
        return new RefsResult(Outcome.ERROR, Optional.of(e), List.of(), List.of(), List.of(), "[]");
    }
}
