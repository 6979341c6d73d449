package io.imagegate.copy;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.util.List;
import java.util.Locale;

/**
 * Which of the source's referrers (and cosign's legacy tags) an import carries into the target, as
 * {@code regctl image copy --referrers} and {@code oras cp -r} do. imagegate's own verdicts are
 * never carried, whatever the mode: a verdict from upstream is not trusted.
 */
public enum ReferrerMode {
    /** Nothing: only the image. */
    NONE(List.of()),
    /**
     * cosign signatures only: Sigstore bundle referrers whose content is cosign's image signature
     * (a DSSE envelope of the predicate type {@code https://sigstore.dev/cosign/sign/v1}, what
     * {@code cosign sign} writes since v3) or a message signature, referrers of simple-signing
     * payloads (cosign 2's OCI 1.1 mode), and the legacy {@code sha256-<hex>.sig} tag.
     */
    SIGNATURES(List.of("sig")),
    /**
     * Every referrer (signatures, attestations, SBOMs, Notation signatures, …) and the legacy
     * {@code .sig}, {@code .att}, {@code .sbom} tags.
     */
    ALL(List.of("sig", "att", "sbom"));

    private final List<String> legacySuffixes;

    ReferrerMode(List<String> legacySuffixes) {
        this.legacySuffixes = legacySuffixes;
    }

    /** The suffixes of cosign's legacy tags ({@code sha256-<hex>.sig}) this mode carries. */
    public List<String> legacySuffixes() {
        return legacySuffixes;
    }

    /**
     * {@code none}, {@code signatures} or {@code all} (any case); null or blank for the default,
     * {@code all}.
     */
    public static ReferrerMode parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        for (ReferrerMode mode : values()) {
            if (mode.name().equalsIgnoreCase(text.strip())) {
                return mode;
            }
        }
        throw ImageGateException.usage(
                Field.REFERRERS,
                "import.referrers-mode",
                "the referrers to carry ({0}) are none, signatures" + " or all, not \"{1}\"",
                Field.REFERRERS,
                text);
    }

    /** As written on the command line and in settings. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
