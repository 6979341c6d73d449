package io.imagegate.api;

import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import java.util.List;
import java.util.Optional;

/**
 * The images a build uses, each with the private name the mapping rules give it. A reference
 * already under a rule's target is private already and is not planned again. CHANGES_NEEDED when a
 * reference does not resolve (an ARG without a value): nothing can be imported for it.
 *
 * @param images one entry per distinct image, in the order the build first uses them
 * @param alreadyPrivate references already in the private registry (under a rule's target), left
 *     alone
 * @param problems references that cannot be followed, each with where and why
 */
public record ImportPlan(
        Outcome outcome,
        Optional<ImageGateException> error,
        List<Entry> images,
        List<Entry> alreadyPrivate,
        List<Message> problems)
        implements OperationResult {
    /**
     * One image.
     *
     * @param source the image as the build uses it, normalized ({@code
     *     docker.io/library/alpine:3.20})
     * @param target where the mapping rules put it (tag kept, digest dropped); for a private image,
     *     the image itself; empty without mapping rules
     * @param file where the build first uses it (a Dockerfile, a POM)
     * @param line the 1-based line there
     */
    public record Entry(String source, String target, String file, int line) {}

    public ImportPlan {
        images = List.copyOf(images);
        alreadyPrivate = List.copyOf(alreadyPrivate);
        problems = List.copyOf(problems);
    }

    static ImportPlan failed(ImageGateException e) {
        return new ImportPlan(Outcome.ERROR, Optional.of(e), List.of(), List.of(), List.of());
    }
}
