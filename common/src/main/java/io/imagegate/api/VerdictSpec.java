package io.imagegate.api;

import io.imagegate.message.Field;
import io.imagegate.message.Operation;

/**
 * Read the verdicts recorded for an image.
 *
 * @param image the image, by tag or digest
 */
public record VerdictSpec(String image) implements Spec {
    @Override
    public Operation operation() {
        return Operation.VERDICT;
    }

    @Override
    public void validate() {
        Specs.reference(Field.IMAGE, image);
    }
}
