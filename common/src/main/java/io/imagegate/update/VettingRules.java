package io.imagegate.update;

import io.imagegate.trust.PublicKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which verdicts count, as for the gate: those made under the policy (any policy when empty), no
 * older than its maximum age, signed by one of the keys when there are keys; judged at {@code now}.
 */
public record VettingRules(
        Optional<String> policyDigest,
        Optional<Duration> maxAge,
        List<PublicKeys.Key> keys,
        Instant now) {
    public VettingRules {
        keys = List.copyOf(keys);
    }
}
