package io.imagegate.api;

import io.imagegate.message.Field;
import io.imagegate.message.Operation;

/**
 * Read the verdicts recorded for an image.
 *
 * @param image the image, by tag or digest
 * @param verifyKeys cosign public key files: judge as a gate given them would (see {@link
 *     GateSpec#verifyKeys})
 */
public record VerdictSpec(String image, java.util.List<String> verifyKeys) implements Spec {
    public VerdictSpec {
        verifyKeys = Specs.copy(verifyKeys);
    }

    public VerdictSpec(String image) {
        this(image, java.util.List.of());
    }

    @Override
    public Operation operation() {
        return Operation.VERDICT;
    }

    @Override
    public void validate() {
        Specs.reference(Field.IMAGE, image);
    }
}
