package io.imagegate.api;

import io.imagegate.copy.ImportRequest;
import io.imagegate.copy.ReferrerMode;
import io.imagegate.mapping.ImageMapping;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Operation;
import io.imagegate.reference.ImageReference;

import java.util.ArrayList;
import java.util.List;

/**
 * Import an image into a registry.
 *
 * @param source      the image to copy, by tag or digest
 * @param target      where to put it; null to derive it from {@code map}
 * @param map         mapping rules ({@code SRC_PREFIX=DST_PREFIX}) to derive the target from the source
 * @param platforms   platforms to keep of a multi-arch image (empty: all, digest unchanged)
 * @param force       overwrite a target tag that holds another image
 * @param parallelism blobs copied at once
 * @param timeout     the longest the import may take ({@code 600}, {@code 30m}); null for an hour
 * @param chunkSize   upload blobs larger than this to the target in chunks of this size ({@code 64} MiB, {@code 512k}),
 *                    for a registry behind a proxy that caps request bodies; null for one PUT per blob
 * @param sourceCredentials credentials for the source registry; null for the shared chain
 * @param targetCredentials credentials for the target registry; null for the shared chain
 * @param referrers   which of the source's referrers travel with the image: {@code none}, {@code signatures} (cosign's) or
 *                    {@code all}; null for {@code all}
 */
public record ImportSpec(String source, String target, List<String> map, List<String> platforms, boolean force, int parallelism,
                         String timeout, String chunkSize, CredentialRef sourceCredentials, CredentialRef targetCredentials,
                         String referrers)
        implements Spec {
    public ImportSpec {
        map = Specs.copy(map);
        platforms = Specs.copy(platforms);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Operation operation() {
        return Operation.IMPORT;
    }

    @Override
    public void validate() {
        ImageReference from = Specs.reference(Field.SOURCE, source);
        if (target == null || target.isBlank()) {
            if (map.isEmpty()) {
                throw ImageGateException.usage(Field.TARGET, "import.no-target", "give a target ({0}), or mapping rules ({1}) to derive it,"
                        + " e.g. =registry.example.com/mirror", Field.TARGET, Field.MAP);
            }
        } else {
            ImageReference to = Specs.reference(Field.TARGET, target);
            if (to.isPinned()) {
                throw ImageGateException.usage(Field.TARGET, "import.target-pinned", "the import target \"{0}\" ({1}) has a digest; name a"
                        + " tag (the digest comes from the source)", target, Field.TARGET);
            }
        }
        resolvedTarget(from);
        Inputs.platforms(Field.PLATFORM, platforms);
        if (chunkSize != null && !chunkSize.isBlank()) {
            Inputs.size(Field.CHUNK_SIZE, chunkSize);
        }
        ReferrerMode.parse(referrers);
        request();
    }

    /** The registry settings this import adds: its chunking and its credentials, for the source and target registries. */
    List<RegistrySettings> registries() {
        ImageReference from = resolvedSource();
        ImageReference to = resolvedTarget(from);
        List<RegistrySettings> out = new ArrayList<>();
        if (sourceCredentials != null) {
            out.add(RegistrySettings.of(from.registry()).withCredentials(sourceCredentials));
        }
        RegistrySettings target = RegistrySettings.of(to.registry());
        boolean any = false;
        if (targetCredentials != null) {
            target = target.withCredentials(targetCredentials);
            any = true;
        }
        if (chunkSize != null && !chunkSize.isBlank()) {
            target = target.withChunkSize(Inputs.size(Field.CHUNK_SIZE, chunkSize));
            any = true;
        }
        if (any) {
            out.add(target);
        }
        return out;
    }

    /** The target as it will be named, derived with the mapping rules when not given; a usage error when it cannot be. */
    public String targetReference() {
        return resolvedTarget(resolvedSource()).toString();
    }

    ImageReference resolvedSource() {
        return Specs.reference(Field.SOURCE, source);
    }

    /** The target as given, or derived through the mapping rules (without the source's digest: tag {@code latest}). */
    ImageReference resolvedTarget(ImageReference from) {
        if (target != null && !target.isBlank()) {
            return Specs.reference(Field.TARGET, target);
        }
        return derivedTarget(from, map);
    }

    static ImageReference derivedTarget(ImageReference from, List<String> rules) {
        ImageReference mapped = ImageMapping.parse(rules).map(from).orElseThrow(() -> ImageGateException.usage(Field.MAP,
                "import.no-rule", "no mapping rule ({0}) matches {1}; add one (an empty source prefix, =DST_PREFIX, matches everything)",
                Field.MAP, from.name()));
        return mapped.withoutDigest();
    }

    ImportRequest request() {
        ImageReference from = resolvedSource();
        ImportRequest request = ImportRequest.of(from, resolvedTarget(from))
                .withPlatforms(Inputs.platforms(Field.PLATFORM, platforms)).withForce(force).withParallelism(parallelism)
                .withReferrers(ReferrerMode.parse(referrers));
        return timeout == null || timeout.isBlank() ? request : request.withTimeout(Inputs.duration(Field.TIMEOUT, timeout));
    }

    /** Builds an {@link ImportSpec}; every setter takes the value as the user wrote it. */
    public static final class Builder {
        private String source;
        private String target;
        private final List<String> map = new ArrayList<>();
        private final List<String> platforms = new ArrayList<>();
        private boolean force;
        private int parallelism = ImportRequest.DEFAULT_PARALLELISM;
        private String timeout;
        private String chunkSize;
        private CredentialRef sourceCredentials;
        private CredentialRef targetCredentials;
        private String referrers;

        /** {@code none}, {@code signatures} or {@code all} (the default). */
        public Builder referrers(String value) {
            referrers = value;
            return this;
        }

        public Builder chunkSize(String value) {
            chunkSize = value;
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

        public Builder parallelism(int value) {
            parallelism = value;
            return this;
        }

        public Builder timeout(String value) {
            timeout = value;
            return this;
        }

        public ImportSpec build() {
            return new ImportSpec(source, target, map, platforms, force, parallelism, timeout, chunkSize, sourceCredentials,
                    targetCredentials, referrers);
        }
    }
}
