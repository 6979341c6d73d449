package io.imagegate.api;

import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import java.util.List;
import java.util.Optional;

/**
 * The private images a build uses whose verdicts do not count, each with what to vet it from.
 *
 * @param images one entry per private image to vet again, in the order the build first uses them
 */
public record RevetPlan(Outcome outcome, Optional<ImageGateException> error, List<Entry> images)
        implements OperationResult {
    /**
     * One private image to vet again.
     *
     * @param source the upstream image its verdicts record (pinned as it was vetted), or the
     *     private image itself when none is recorded (vetted in place)
     * @param target the private image, by tag
     * @param inPlace whether no upstream source is recorded, so it is vetted from itself
     * @param file where the build first uses it
     * @param line the 1-based line there
     * @param reason why its verdicts do not count
     */
    public record Entry(
            String source, String target, boolean inPlace, String file, int line, Message reason) {}

    public RevetPlan {
        images = List.copyOf(images);
    }

    static RevetPlan failed(ImageGateException e) {
        return new RevetPlan(Outcome.ERROR, Optional.of(e), List.of());
    }
}
