package io.imagegate.api;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.io.Serializable;
import java.util.List;

/**
 * Which of the private images a build uses must be vetted again: those whose verdicts do not count
 * under the policy in force (none, a FAIL, too old, made under another policy, unsigned), as the
 * gate would judge them with the mapping rules' targets as its trusted prefixes.
 *
 * @param plan the build's images and the mapping rules (which say what is private)
 * @param policy the policy whose verdicts count; null for the default policy
 * @param quarantine the quarantine prefix the vets use; null for the default
 * @param verifyKeys public keys verdicts must be signed by; empty for none
 */
public record RevetSpec(
        ImportPlanSpec plan, String policy, String quarantine, List<String> verifyKeys)
        implements Serializable {
    public RevetSpec {
        verifyKeys = Specs.copy(verifyKeys);
    }

    /** Throws a {@link io.imagegate.message.ErrorKind#USAGE} error naming the field at fault. */
    public void validate() {
        plan.validate();
        if (plan.map().isEmpty()) {
            throw ImageGateException.usage(
                    Field.MAP,
                    "revet.no-map",
                    "mapping rules ({0}) say which images are private already; give them",
                    Field.MAP);
        }
    }
}
