package io.imagegate.api;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Operation;
import io.imagegate.reference.ImageReference;
import java.util.List;

/**
 * Vet an image: import it into quarantine, scan every platform, judge it, promote it under the
 * trusted name when it passes, and record the verdict in the registry beside it.
 *
 * @param copy the image, its trusted name (a tag, or derived through the mapping rules as for
 *     import), the platforms and referrers that go to quarantine and are promoted with it, force
 *     (vet again even when a fresh PASS verdict exists, and overwrite a trusted tag holding another
 *     image), and both registries' credentials
 * @param quarantine the quarantine repository prefix in the target registry; null for {@code
 *     quarantine} (the image goes to {@code <registry>/quarantine/<target path>})
 * @param policy the policy file; null for the default
 * @param reportDir where to write reports; null for none
 * @param trivy how Trivy runs
 * @param signingKey the private key file that signs the verdict (ECDSA P-256, as {@code cosign
 *     generate-key-pair} writes it, or unencrypted PKCS#8 PEM); null to record it unsigned. Its
 *     password comes from the environment variable {@code IMAGEGATE_SIGNING_KEY_PASSWORD}, else
 *     {@code COSIGN_PASSWORD}, never from a parameter.
 * @param signingKeyContent the signing key by its content instead of a file (a Jenkins secret file
 *     credential), never written to disk; null for none. At most one of this and {@code
 *     signingKey}; its password as for {@code signingKey}.
 */
public record VetSpec(
        CopyInputs copy,
        String quarantine,
        String policy,
        String reportDir,
        TrivySettings trivy,
        String signingKey,
        KeyContent signingKeyContent)
        implements Spec {
    public static final String DEFAULT_QUARANTINE = "quarantine";

    public VetSpec {
        copy = copy == null ? CopyInputs.builder().build() : copy;
        trivy = trivy == null ? TrivySettings.defaults() : trivy;
    }

    /** The image to vet, by tag or digest. */
    public String source() {
        return copy.source();
    }

    /** The trusted name (a tag); null to derive it from {@link #map()}. */
    public String target() {
        return copy.target();
    }

    /** Mapping rules to derive the target, as for import. */
    public List<String> map() {
        return copy.map();
    }

    /** Platforms to keep (empty: all). */
    public List<String> platforms() {
        return copy.platforms();
    }

    /**
     * Vet again even when a fresh PASS verdict exists, and overwrite a trusted tag holding another
     * image.
     */
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

    /**
     * Which of the source's referrers go to quarantine and are promoted with the image; null for
     * {@code all}.
     */
    public String referrers() {
        return copy.referrers();
    }

    @Override
    public Operation operation() {
        return Operation.VET;
    }

    @Override
    public void validate() {
        ImageReference from = Specs.reference(Field.SOURCE, source());
        ImageReference to = resolvedTarget(from);
        if (to.isPinned()) {
            throw ImageGateException.usage(
                    Field.TARGET,
                    "vet.target-pinned",
                    "the vet target \"{0}\" ({1}) has a digest; name a tag",
                    target(),
                    Field.TARGET);
        }
        quarantineRepository(to);
        Inputs.platforms(Field.PLATFORM, platforms());
        io.imagegate.copy.ReferrerMode.parse(referrers());
        if (signingKeyContent != null && signingKey != null && !signingKey.isBlank()) {
            throw ImageGateException.usage(
                    Field.SIGNING_KEY,
                    "vet.signing-key-twice",
                    "give the signing key ({0}) once: as a file or" + " by its content, not both",
                    Field.SIGNING_KEY);
        }
        trivy.validate();
    }

    /**
     * The registry settings this vetting adds: credentials for the source and target registries.
     */
    List<RegistrySettings> registries() {
        ImageReference from = resolvedSource();
        ImageReference to = resolvedTarget(from);
        List<RegistrySettings> out = new java.util.ArrayList<>(copy.sourceRegistry(from));
        if (targetCredentials() != null) {
            out.add(copy.targetRegistry(to));
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

    ImageReference resolvedTarget(ImageReference from) {
        if (!copy.targetGiven() && map().isEmpty()) {
            throw ImageGateException.usage(
                    Field.TARGET,
                    "vet.no-target",
                    "give a target ({0}), or mapping rules ({1}) to derive it",
                    Field.TARGET,
                    Field.MAP);
        }
        return copy.resolvedTarget(from);
    }

    /**
     * The quarantine reference for the target: same registry, {@code <quarantine>/<target path>},
     * same tag.
     */
    ImageReference quarantineRepository(ImageReference to) {
        String prefix =
                quarantine == null || quarantine.isBlank()
                        ? DEFAULT_QUARANTINE
                        : quarantine.strip().replaceAll("^/+|/+$", "");
        String registryPrefix = to.registry() + "/";
        if (prefix.startsWith(registryPrefix)) {
            prefix = prefix.substring(registryPrefix.length());
        }
        if (to.repository().equals(prefix) || to.repository().startsWith(prefix + "/")) {
            throw ImageGateException.usage(
                    Field.QUARANTINE,
                    "vet.target-in-quarantine",
                    "the target {0} lies inside the quarantine"
                            + " ({1}={2}); choose a target outside it",
                    to,
                    Field.QUARANTINE,
                    prefix);
        }
        if (prefix.startsWith(to.repository() + "/")) {
            throw ImageGateException.usage(
                    Field.QUARANTINE,
                    "vet.quarantine-in-target",
                    "the quarantine ({0}={1}) lies inside the"
                            + " namespace of the target {2}; choose a quarantine outside every trusted repository",
                    Field.QUARANTINE,
                    prefix,
                    to);
        }
        try {
            return ImageReference.of(
                    to.registry(), prefix + "/" + to.repository(), to.tag().orElse("latest"), null);
        } catch (io.imagegate.reference.InvalidReferenceException e) {
            throw ImageGateException.usage(
                    Field.QUARANTINE,
                    "vet.quarantine-invalid",
                    "the quarantine \"{0}\" ({1}) gives an invalid" + " repository name: {2}",
                    prefix,
                    Field.QUARANTINE,
                    e.rule());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link VetSpec}; every setter takes the value as the user wrote it. */
    public static final class Builder {
        private final CopyInputs.Builder copy = CopyInputs.builder();
        private String quarantine;
        private String policy;
        private String reportDir;
        private TrivySettings trivy;
        private String signingKey;
        private KeyContent signingKeyContent;

        public Builder signingKey(String value) {
            signingKey = value;
            return this;
        }

        /**
         * The signing key by its content (a credential store's secret file), never written to disk.
         */
        public Builder signingKey(KeyContent value) {
            signingKeyContent = value;
            return this;
        }

        /** {@code none}, {@code signatures} or {@code all} (the default). */
        public Builder referrers(String value) {
            copy.referrers(value);
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

        public Builder quarantine(String value) {
            quarantine = value;
            return this;
        }

        public Builder platforms(List<String> values) {
            copy.platforms(values);
            return this;
        }

        public Builder policy(String value) {
            policy = value;
            return this;
        }

        public Builder force(boolean value) {
            copy.force(value);
            return this;
        }

        public Builder reportDir(String value) {
            reportDir = value;
            return this;
        }

        public Builder trivy(TrivySettings value) {
            trivy = value;
            return this;
        }

        public VetSpec build() {
            return new VetSpec(
                    copy.build(),
                    quarantine,
                    policy,
                    reportDir,
                    trivy,
                    signingKey,
                    signingKeyContent);
        }
    }
}
