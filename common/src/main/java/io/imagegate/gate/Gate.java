package io.imagegate.gate;

import io.imagegate.dockerfile.ImageRef;
import io.imagegate.mapping.ImageMapping;
import io.imagegate.message.Field;
import io.imagegate.message.Fix;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.message.Operation;
import io.imagegate.reference.ImageReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Fails a build that uses an image it should not: every reference (base, copy-from, mount-from,
 * syntax) must resolve, point into a trusted registry prefix, optionally be pinned by digest, and
 * pass the vetting check.
 */
public final class Gate {
    private final List<String> trustedPrefixes;
    private final boolean requireDigest;
    private final VettingCheck vetting;

    public Gate(List<String> trustedPrefixes, boolean requireDigest, VettingCheck vetting) {
        List<String> prefixes =
                trustedPrefixes.stream()
                        .map(p -> p.strip().replaceAll("/+$", "").toLowerCase(Locale.ROOT))
                        .filter(p -> !p.isEmpty())
                        .toList();
        if (prefixes.isEmpty()) {
            throw ImageGateException.usage(
                    Field.TRUSTED,
                    "gate.no-trusted-prefix",
                    "the gate needs at least one trusted registry prefix ({0}), e.g. registry.example.com/mirror",
                    Field.TRUSTED);
        }
        this.trustedPrefixes = prefixes;
        this.requireDigest = requireDigest;
        this.vetting = vetting;
    }

    public List<Violation> check(List<ImageRef> refs) {
        // The images that reach the vetting rule, looked up together; each is then judged in order,
        // as before.
        vetting.prefetch(
                refs.stream()
                        .map(ImageRef::reference)
                        .flatMap(Optional::stream)
                        .filter(image -> trusted(image) && (!requireDigest || image.isPinned()))
                        .distinct()
                        .toList());
        List<Violation> violations = new ArrayList<>();
        for (ImageRef ref : refs) {
            check(ref).ifPresent(violations::add);
        }
        return violations;
    }

    private Optional<Violation> check(ImageRef ref) {
        String file = ref.file().toString();
        if (ref.reference().isEmpty()) {
            return Optional.of(
                    new Violation(
                            ref,
                            Violation.Rule.UNRESOLVED,
                            Message.of(
                                    "gate.unresolved",
                                    "unresolved: {0}",
                                    ref.error().map(Object.class::cast).orElse("")),
                            Message.of(
                                    "gate.fix-unresolved",
                                    "declare the ARG with a value, or give it as a build arg ({0})",
                                    Field.BUILD_ARG)));
        }
        ImageReference image = ref.reference().get();
        String prefix = trustedPrefixes.get(0);
        if (!trusted(image)) {
            String target = trustedName(image);
            return Optional.of(
                    new Violation(
                            ref,
                            Violation.Rule.UNTRUSTED,
                            Message.of(
                                    "gate.untrusted",
                                    "{0} is not in a trusted registry ({1})",
                                    image,
                                    String.join(", ", trustedPrefixes)),
                            Message.of(
                                    "gate.fix-untrusted",
                                    "{0} && {1}",
                                    Fix.of(Operation.VET)
                                            .with(Field.SOURCE, image.toString())
                                            .with(Field.TARGET, target),
                                    Fix.of(Operation.REWRITE)
                                            .with(Field.MAP, "=" + prefix)
                                            .with(Field.PIN, "true")
                                            .with(Field.DOCKERFILES, file))));
        }
        if (requireDigest && !image.isPinned()) {
            return Optional.of(
                    new Violation(
                            ref,
                            Violation.Rule.UNPINNED,
                            Message.of("gate.unpinned", "{0} is not pinned by digest", image),
                            Message.of(
                                    "gate.fix-unpinned",
                                    "{0}",
                                    Fix.of(Operation.REWRITE)
                                            .with(Field.MAP, "=" + prefix)
                                            .with(Field.PIN, "true")
                                            .with(Field.DOCKERFILES, file))));
        }
        return vetting.notVetted(image)
                .map(
                        reason ->
                                new Violation(
                                        ref,
                                        Violation.Rule.NOT_VETTED,
                                        Message.of(
                                                "gate.not-vetted",
                                                "{0} is not vetted: {1}",
                                                image,
                                                reason),
                                        Message.of(
                                                "gate.fix-not-vetted",
                                                "{0}",
                                                Fix.of(Operation.VET)
                                                        .with(
                                                                Field.TARGET,
                                                                image.withoutDigest()
                                                                        .toString()))));
    }

    /**
     * Where vetting puts an untrusted image: where the collision-free default mapping under the
     * first trusted prefix puts it, the same rule {@code rewrite --map =PREFIX} follows.
     */
    public String trustedName(ImageReference image) {
        String prefix = trustedPrefixes.get(0);
        return ImageMapping.parse(List.of("=" + prefix))
                .map(image)
                .map(r -> r.withoutDigest().toString())
                .orElse(prefix + "/" + image.repository());
    }

    private boolean trusted(ImageReference image) {
        String name = image.name().toLowerCase(Locale.ROOT);
        return trustedPrefixes.stream().anyMatch(p -> name.equals(p) || name.startsWith(p + "/"));
    }
}
