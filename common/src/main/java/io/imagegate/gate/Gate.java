package io.imagegate.gate;

import io.imagegate.dockerfile.ImageRef;
import io.imagegate.reference.ImageReference;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fails a build that uses an image it should not: every reference (base, copy-from, mount-from, syntax) must
 * resolve, point into a trusted registry prefix, optionally be pinned by digest, and pass the vetting check.
 */
public final class Gate {
    private final List<String> trustedPrefixes;
    private final boolean requireDigest;
    private final VettingCheck vetting;

    public Gate(List<String> trustedPrefixes, boolean requireDigest, VettingCheck vetting) {
        if (trustedPrefixes.isEmpty()) {
            throw new io.imagegate.ImageGateException("the gate needs at least one trusted prefix, e.g. --trusted registry.example.com/mirror");
        }
        this.trustedPrefixes = trustedPrefixes.stream().map(p -> p.strip().replaceAll("/+$", "").toLowerCase(Locale.ROOT)).toList();
        this.requireDigest = requireDigest;
        this.vetting = vetting;
    }

    public List<Violation> check(List<ImageRef> refs) {
        List<Violation> violations = new ArrayList<>();
        for (ImageRef ref : refs) {
            if (ref.reference().isEmpty()) {
                violations.add(new Violation(ref, "unresolved: " + ref.error().orElse(""), "declare the ARG with a value or pass --build-arg"));
                continue;
            }
            ImageReference image = ref.reference().get();
            if (!trusted(image)) {
                String target = trustedPrefixes.get(0) + "/" + image.registry() + "/" + image.repository()
                        + image.tag().map(t -> ":" + t).orElse("");
                violations.add(new Violation(ref, image + " is not in a trusted registry (" + String.join(", ", trustedPrefixes) + ")",
                        "imagegate import " + image + " " + target + " && imagegate rewrite --map =" + trustedPrefixes.get(0)
                                + " --pin " + ref.file()));
                continue;
            }
            if (requireDigest && !image.isPinned()) {
                violations.add(new Violation(ref, image + " is not pinned by digest",
                        "imagegate rewrite --map =" + trustedPrefixes.get(0) + " --pin " + ref.file()));
                continue;
            }
            vetting.notVetted(image).ifPresent(reason -> violations.add(new Violation(ref, image + " is not vetted: " + reason,
                    "imagegate scan " + image)));
        }
        return violations;
    }

    private boolean trusted(ImageReference image) {
        String name = image.name().toLowerCase(Locale.ROOT);
        return trustedPrefixes.stream().anyMatch(p -> name.equals(p) || name.startsWith(p + "/"));
    }
}
