package io.imagegate.gate;

import io.imagegate.dockerfile.ImageRef;
import io.imagegate.mapping.ImageMapping;
import io.imagegate.message.Field;
import io.imagegate.message.Fix;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
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
    private final Remedies remedies;

    public Gate(List<String> trustedPrefixes, boolean requireDigest, VettingCheck vetting) {
        this(trustedPrefixes, requireDigest, vetting, Remedies.defaults());
    }

    /** A gate whose fixes are built from {@code remedies}, the configuration in force. */
    public Gate(
            List<String> trustedPrefixes,
            boolean requireDigest,
            VettingCheck vetting,
            Remedies remedies) {
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
        this.remedies = remedies;
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
        if (!trusted(image)) {
            Message reason =
                    Message.of(
                            "gate.untrusted",
                            "{0} is not in a trusted registry ({1})",
                            image,
                            String.join(", ", trustedPrefixes));
            Optional<List<String>> rules = remedies.mapFor(image, trustedPrefixes);
            if (rules.isEmpty()) {
                return Optional.of(
                        new Violation(
                                ref,
                                Violation.Rule.UNTRUSTED,
                                reason,
                                Message.of(
                                        "gate.fix-map-untrusted",
                                        "the mapping rules ({0}) put {1} at {2}, outside the trusted prefixes: change the rules or the trusted prefixes ({3})",
                                        Field.MAP,
                                        image,
                                        ImageMapping.parse(remedies.map())
                                                .map(image)
                                                .orElseThrow()
                                                .withoutDigest(),
                                        Field.TRUSTED)));
            }
            Fix vet =
                    remedies.vet(image.toString(), Remedies.mapped(image, rules.get()).toString());
            Fix rewrite = Remedies.rewrite(rules.get(), file);
            return Optional.of(
                    new Violation(
                            ref,
                            Violation.Rule.UNTRUSTED,
                            reason,
                            Message.of("gate.fix-untrusted", "{0} && {1}", vet, rewrite),
                            List.of(vet, rewrite),
                            Optional.empty()));
        }
        if (requireDigest && !image.isPinned()) {
            Fix rewrite = Remedies.rewrite(remedies.mapKeeping(image, trustedPrefixes), file);
            return Optional.of(
                    new Violation(
                            ref,
                            Violation.Rule.UNPINNED,
                            Message.of("gate.unpinned", "{0} is not pinned by digest", image),
                            Message.of("gate.fix-unpinned", "{0}", rewrite),
                            List.of(rewrite),
                            Optional.empty()));
        }
        return vetting.notVetted(image).map(reason -> notVetted(ref, image, reason));
    }

    /**
     * Vetting it again fixes it: from the upstream source its verdicts record, else in place (the
     * private copy is its own source), to the tag the build uses, under the gate's policy.
     */
    private Violation notVetted(ImageRef ref, ImageReference image, Message reason) {
        Optional<ImageReference> recorded = vetting.recordedSource(image);
        ImageReference target = image.withoutDigest();
        // A pinned reference names the very digest to vet; a tag, the digest it holds now.
        String source =
                recorded.map(ImageReference::toString)
                        .orElse(image.isPinned() ? image.toString() : target.toString());
        Fix vet = remedies.vet(source, target.toString());
        Message fix =
                recorded.isPresent()
                        ? Message.of("gate.fix-not-vetted", "{0}", vet)
                        : Message.of(
                                "gate.fix-not-vetted-in-place",
                                "{0} (no upstream source is recorded for it, so this vets the private copy in place; to vet it from upstream, give that image as {1})",
                                vet,
                                Field.SOURCE);
        return new Violation(
                ref,
                Violation.Rule.NOT_VETTED,
                Message.of("gate.not-vetted", "{0} is not vetted: {1}", image, reason),
                fix,
                List.of(vet),
                Optional.empty());
    }

    /**
     * Where vetting puts an untrusted image: where the mapping rules in force put it under a
     * trusted prefix (the collision-free default under the first one when no rule matches), the
     * same rule the rewrite fix follows.
     */
    public String trustedName(ImageReference image) {
        return remedies.mapFor(image, trustedPrefixes)
                .map(rules -> Remedies.mapped(image, rules).toString())
                .orElse(trustedPrefixes.get(0) + "/" + image.repository());
    }

    /** The configuration in force the fixes are built from. */
    public Remedies remedies() {
        return remedies;
    }

    private boolean trusted(ImageReference image) {
        return Remedies.isTrusted(image, trustedPrefixes);
    }
}
