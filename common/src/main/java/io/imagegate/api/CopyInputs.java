package io.imagegate.api;

import io.imagegate.mapping.ImageMapping;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.reference.ImageReference;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What an import and a vetting share: which image goes where, which of its platforms and referrers
 * travel, whether an existing tag may be overwritten, and the credentials of both registries.
 * {@link ImportSpec} and {@link VetSpec} hold one each, so the rules for these inputs (the target
 * derived through the mapping rules, the platforms, the referrer mode, which registry each
 * credential is for) are written once.
 *
 * @param source the image, by tag or digest
 * @param target where it goes (a tag); null to derive it from {@code map}
 * @param map mapping rules ({@code SRC_PREFIX=DST_PREFIX}) to derive the target from the source
 * @param platforms platforms to keep of a multi-arch image (empty: all, digest unchanged)
 * @param force overwrite a target tag that holds another image (vetting: and vet again despite a
 *     fresh PASS)
 * @param referrers which of the source's referrers travel with the image: {@code none}, {@code
 *     signatures} (cosign's) or {@code all}; null for {@code all}. imagegate verdicts never travel.
 * @param sourceCredentials credentials for the source registry; null for the shared chain
 * @param targetCredentials credentials for the target registry; null for the shared chain
 */
public record CopyInputs(
        String source,
        String target,
        List<String> map,
        List<String> platforms,
        boolean force,
        String referrers,
        CredentialRef sourceCredentials,
        CredentialRef targetCredentials)
        implements Serializable {
    public CopyInputs {
        map = Specs.copy(map);
        platforms = Specs.copy(platforms);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether a target is given (else it is derived through {@link #map}). */
    boolean targetGiven() {
        return target != null && !target.isBlank();
    }

    ImageReference resolvedSource() {
        return Specs.reference(Field.SOURCE, source);
    }

    /**
     * The target as given, or derived through the mapping rules (without the source's digest: tag
     * {@code latest}).
     */
    ImageReference resolvedTarget(ImageReference from) {
        return targetGiven() ? Specs.reference(Field.TARGET, target) : derivedTarget(from, map);
    }

    static ImageReference derivedTarget(ImageReference from, List<String> rules) {
        ImageReference mapped =
                ImageMapping.parse(rules)
                        .map(from)
                        .orElseThrow(
                                () ->
                                        ImageGateException.usage(
                                                Field.MAP,
                                                "import.no-rule",
                                                "no mapping rule ({0}) matches {1}; add one (an empty source prefix, =DST_PREFIX, matches everything)",
                                                Field.MAP,
                                                from.name()));
        return mapped.withoutDigest();
    }

    /** The source registry's settings these inputs add (its credentials), if any. */
    List<RegistrySettings> sourceRegistry(ImageReference from) {
        return sourceCredentials == null
                ? List.of()
                : List.of(RegistrySettings.of(from.registry()).withCredentials(sourceCredentials));
    }

    /** The target registry's settings, with its credentials when given. */
    RegistrySettings targetRegistry(ImageReference to) {
        RegistrySettings settings = RegistrySettings.of(to.registry());
        return targetCredentials == null ? settings : settings.withCredentials(targetCredentials);
    }

    /** Builds {@link CopyInputs}; every setter takes the value as the user wrote it. */
    public static final class Builder {
        private String source;
        private String target;
        private final List<String> map = new ArrayList<>();
        private final List<String> platforms = new ArrayList<>();
        private boolean force;
        private String referrers;
        private CredentialRef sourceCredentials;
        private CredentialRef targetCredentials;

        public Builder source(String value) {
            source = value;
            return this;
        }

        public Builder target(String value) {
            target = value;
            return this;
        }

        public Builder map(List<String> rules) {
            map.addAll(Specs.copy(rules));
            return this;
        }

        public Builder platforms(List<String> values) {
            platforms.addAll(Specs.copy(values));
            return this;
        }

        public Builder force(boolean value) {
            force = value;
            return this;
        }

        /** {@code none}, {@code signatures} or {@code all} (the default). */
        public Builder referrers(String value) {
            referrers = value;
            return this;
        }

        public Builder sourceCredentials(CredentialRef value) {
            sourceCredentials = value;
            return this;
        }

        public Builder targetCredentials(CredentialRef value) {
            targetCredentials = value;
            return this;
        }

        public CopyInputs build() {
            return new CopyInputs(
                    source,
                    target,
                    map,
                    platforms,
                    force,
                    referrers,
                    sourceCredentials,
                    targetCredentials);
        }
    }
}
