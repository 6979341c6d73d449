package io.imagegate.gate;

import io.imagegate.mapping.ImageMapping;
import io.imagegate.message.Field;
import io.imagegate.message.Fix;
import io.imagegate.reference.ImageReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The configuration in force that the gate's fixes are built from: the mapping rules, the
 * quarantine, the policy and whether verdicts must be signed. A fix carries every input that its
 * operation needs to turn the violation green when run as printed, and no other: a vet is made
 * under the gate's policy, into its quarantine, to the name the rewrite then points at.
 *
 * @param map mapping rules as given ({@code SRC_PREFIX=DST_PREFIX}); empty for the default rule
 *     under the first trusted prefix
 * @param quarantine the quarantine prefix; null for the default
 * @param policy the policy file whose verdicts count; null for the default policy
 * @param verifyKeys the public keys verdicts must be signed by (a vet then needs the matching
 *     private key)
 */
public record Remedies(
        List<String> map, String quarantine, String policy, List<String> verifyKeys) {
    public Remedies {
        map = map == null ? List.of() : List.copyOf(map);
        quarantine = quarantine == null || quarantine.isBlank() ? null : quarantine.strip();
        policy = policy == null || policy.isBlank() ? null : policy;
        verifyKeys = verifyKeys == null ? List.of() : List.copyOf(verifyKeys);
        ImageMapping.parse(map); // a bad rule is the user's mistake, named now
    }

    /** Nothing configured beyond the trusted prefixes. */
    public static Remedies defaults() {
        return new Remedies(List.of(), null, null, List.of());
    }

    /**
     * The mapping rules that put {@code image} under a trusted prefix: those given when they do,
     * else those given followed by the default rule under the first trusted prefix (first match
     * wins, so it is used only for an image no given rule matches). Empty when a given rule matches
     * but puts the image outside every trusted prefix: no rewrite with these rules can fix it.
     */
    Optional<List<String>> mapFor(ImageReference image, List<String> trusted) {
        Optional<ImageReference> mapped = ImageMapping.parse(map).map(image);
        if (mapped.isPresent()) {
            return isTrusted(mapped.get(), trusted) ? Optional.of(map) : Optional.empty();
        }
        List<String> rules = new ArrayList<>(map);
        rules.add("=" + trusted.get(0));
        return Optional.of(List.copyOf(rules));
    }

    /**
     * The rules that leave {@code image}, trusted already, where it is, so that a rewrite pins it:
     * those given when one of their targets holds it, else one naming the trusted prefix it is
     * under.
     */
    List<String> mapKeeping(ImageReference image, List<String> trusted) {
        if (ImageMapping.parse(map).isTarget(image)) {
            return map;
        }
        String name = image.name().toLowerCase(Locale.ROOT);
        String prefix =
                trusted.stream()
                        .filter(p -> name.equals(p) || name.startsWith(p + "/"))
                        .findFirst()
                        .orElse(trusted.get(0));
        List<String> rules = new ArrayList<>(map);
        rules.add("=" + prefix);
        return List.copyOf(rules);
    }

    /** The name {@code image} is vetted to and rewritten to: where {@code rules} put it. */
    static ImageReference mapped(ImageReference image, List<String> rules) {
        return ImageMapping.parse(rules).map(image).orElseThrow().withoutDigest();
    }

    /** Vets {@code source} to {@code target} under the gate's policy, into its quarantine. */
    Fix vet(String source, String target) {
        Fix fix = Fix.of(io.imagegate.message.Operation.VET).with(Field.SOURCE, source);
        fix = fix.with(Field.TARGET, target);
        if (quarantine != null) {
            fix = fix.with(Field.QUARANTINE, quarantine);
        }
        if (policy != null) {
            fix = fix.with(Field.POLICY, policy);
        }
        if (!verifyKeys.isEmpty()) {
            // The gate knows only the public keys: the vet must sign with the matching private one.
            fix =
                    fix.with(
                            Field.SIGNING_KEY,
                            "<the private key of " + String.join(" or ", verifyKeys) + ">");
        }
        return fix;
    }

    /** Rewrites {@code file} with {@code rules}, pinned. */
    static Fix rewrite(List<String> rules, String file) {
        return Fix.of(io.imagegate.message.Operation.REWRITE)
                .with(Field.MAP, String.join(",", rules))
                .with(Field.PIN, "true")
                .with(Field.DOCKERFILES, file);
    }

    static boolean isTrusted(ImageReference image, List<String> trusted) {
        String name = image.name().toLowerCase(Locale.ROOT);
        return trusted.stream().anyMatch(p -> name.equals(p) || name.startsWith(p + "/"));
    }
}
