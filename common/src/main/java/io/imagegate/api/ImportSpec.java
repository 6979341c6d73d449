package io.imagegate.api;

import io.imagegate.copy.ImportRequest;
import io.imagegate.copy.ReferrerMode;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Operation;
import io.imagegate.reference.ImageReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Import an image into a registry.
 *
 * @param copy the image, where it goes, its platforms and referrers, force, and both registries'
 *     credentials
 * @param parallelism blobs copied at once
 * @param timeout the longest the import may take ({@code 600}, {@code 30m}); null for an hour
 * @param chunkSize upload blobs larger than this to the target in chunks of this size ({@code 64}
 *     MiB, {@code 512k}), for a registry behind a proxy that caps request bodies; null for one PUT
 *     per blob
 */
public record ImportSpec(CopyInputs copy, int parallelism, String timeout, String chunkSize)
        implements Spec {
    public ImportSpec {
        copy = copy == null ? CopyInputs.builder().build() : copy;
    }

    /** The image to copy, by tag or digest. */
    public String source() {
        return copy.source();
    }

    /** Where to put it; null to derive it from {@link #map()}. */
    public String target() {
        return copy.target();
    }

    /** Mapping rules ({@code SRC_PREFIX=DST_PREFIX}) to derive the target from the source. */
    public List<String> map() {
        return copy.map();
    }

    /** Platforms to keep of a multi-arch image (empty: all, digest unchanged). */
    public List<String> platforms() {
        return copy.platforms();
    }

    /** Overwrite a target tag that holds another image. */
    public boolean force() {
        return copy.force();
    }

    /** Credentials for the source registry; null for the shared chain. */
    public CredentialRef sourceCredentials() {
        return copy.sourceCredentials();
    }

    /** Credentials for the target registry; null for the shared chain. */
    public CredentialRef targetCredentials() {
        return copy.targetCredentials();
    }

    /** Which of the source's referrers travel with the image; null for {@code all}. */
    public String referrers() {
        return copy.referrers();
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
        ImageReference from = Specs.reference(Field.SOURCE, source());
        if (!copy.targetGiven()) {
            if (map().isEmpty()) {
                throw ImageGateException.usage(
                        Field.TARGET,
                        "import.no-target",
                        "give a target ({0}), or mapping rules ({1}) to derive it,"
                                + " e.g. =registry.example.com/mirror",
                        Field.TARGET,
                        Field.MAP);
            }
        } else {
            ImageReference to = Specs.reference(Field.TARGET, target());
            if (to.isPinned()) {
                throw ImageGateException.usage(
                        Field.TARGET,
                        "import.target-pinned",
                        "the import target \"{0}\" ({1}) has a digest; name a"
                                + " tag (the digest comes from the source)",
                        target(),
                        Field.TARGET);
            }
        }
        resolvedTarget(from);
        Inputs.platforms(Field.PLATFORM, platforms());
        if (chunkSize != null && !chunkSize.isBlank()) {
            Inputs.size(Field.CHUNK_SIZE, chunkSize);
        }
        ReferrerMode.parse(referrers());
        request();
    }

    /**
     * The registry settings this import adds: its chunking and its credentials, for the source and
     * target registries.
     */
    List<RegistrySettings> registries() {
        ImageReference from = resolvedSource();
        ImageReference to = resolvedTarget(from);
        List<RegistrySettings> out = new ArrayList<>(copy.sourceRegistry(from));
        boolean chunked = chunkSize != null && !chunkSize.isBlank();
        if (copy.targetCredentials() != null || chunked) {
            RegistrySettings target = copy.targetRegistry(to);
            out.add(
                    chunked
                            ? target.withChunkSize(Inputs.size(Field.CHUNK_SIZE, chunkSize))
                            : target);
        }
        return out;
    }

    /**
     * The target as it will be named, derived with the mapping rules when not given; a usage error
     * when it cannot be.
     */
    public String targetReference() {
        return resolvedTarget(resolvedSource()).toString();
    }

    ImageReference resolvedSource() {
        return copy.resolvedSource();
    }

    /**
     * The target as given, or derived through the mapping rules (without the source's digest: tag
     * {@code latest}).
     */
    ImageReference resolvedTarget(ImageReference from) {
        return copy.resolvedTarget(from);
    }

    ImportRequest request() {
        ImageReference from = resolvedSource();
        ImportRequest request =
                ImportRequest.of(from, resolvedTarget(from))
                        .withPlatforms(Inputs.platforms(Field.PLATFORM, platforms()))
                        .withForce(force())
                        .withParallelism(parallelism)
                        .withReferrers(ReferrerMode.parse(referrers()));
        return timeout == null || timeout.isBlank()
                ? request
                : request.withTimeout(Inputs.duration(Field.TIMEOUT, timeout));
    }

    /** Builds an {@link ImportSpec}; every setter takes the value as the user wrote it. */
    public static final class Builder {
        private final CopyInputs.Builder copy = CopyInputs.builder();
        private int parallelism = ImportRequest.DEFAULT_PARALLELISM;
        private String timeout;
        private String chunkSize;

        /** {@code none}, {@code signatures} or {@code all} (the default). */
        public Builder referrers(String value) {
            copy.referrers(value);
            return this;
        }

        public Builder chunkSize(String value) {
            chunkSize = value;
            return this;
        }

        public Builder sourceCredentials(CredentialRef value) {
            copy.sourceCredentials(value);
            return this;
        }

        public Builder targetCredentials(CredentialRef value) {
            copy.targetCredentials(value);
            return this;
        }

        public Builder source(String value) {
            copy.source(value);
            return this;
        }

        public Builder target(String value) {
            copy.target(value);
            return this;
        }

        public Builder map(List<String> rules) {
            copy.map(rules);
            return this;
        }

        public Builder platforms(List<String> values) {
            copy.platforms(values);
            return this;
        }

        public Builder force(boolean value) {
            copy.force(value);
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
            return new ImportSpec(copy.build(), parallelism, timeout, chunkSize);
        }
    }
}
