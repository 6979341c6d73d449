package io.imagegate.api;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Operation;
import java.util.List;

/**
 * Fail a build that uses an image it should not.
 *
 * @param files Dockerfiles, or glob patterns (a pattern matching nothing is an error)
 * @param images images configured outside Dockerfiles (Jib's base image), checked the same way
 * @param buildArgs {@code KEY=VALUE} build args
 * @param platforms target platforms for the automatic platform args
 * @param trusted trusted registry prefixes
 * @param requireDigest every reference must be pinned by digest
 * @param requireVetted every reference must have a PASS verdict recorded in its registry
 * @param policy the policy whose verdicts count (by digest) and whose {@code maxVerdictAge}
 *     applies; null for the default policy
 * @param anyPolicy accept a PASS verdict made under any policy
 * @param verifyKeys cosign public key files (PEM): with any (here or in the policy's {@code
 *     verdictKeys}), a PASS counts only when its signed attestation verifies with one of them and
 *     names this digest, the policy and a PASS; several for key rotation
 * @param map the mapping rules vet and rewrite use ({@code SRC_PREFIX=DST_PREFIX}, first match
 *     wins), which the printed fixes follow; empty for the default rule under the first trusted
 *     prefix
 * @param quarantine the quarantine prefix vet uses, which the printed fixes name; null for {@code
 *     quarantine}
 */
public record GateSpec(
        List<String> files,
        List<ImageSource> images,
        List<String> buildArgs,
        List<String> platforms,
        List<String> trusted,
        boolean requireDigest,
        boolean requireVetted,
        String policy,
        boolean anyPolicy,
        List<String> verifyKeys,
        List<String> map,
        String quarantine)
        implements Spec {
    public GateSpec(
            List<String> files,
            List<ImageSource> images,
            List<String> buildArgs,
            List<String> platforms,
            List<String> trusted,
            boolean requireDigest,
            boolean requireVetted,
            String policy,
            boolean anyPolicy,
            List<String> verifyKeys) {
        this(
                files,
                images,
                buildArgs,
                platforms,
                trusted,
                requireDigest,
                requireVetted,
                policy,
                anyPolicy,
                verifyKeys,
                List.of(),
                null);
    }

    public GateSpec(
            List<String> files,
            List<ImageSource> images,
            List<String> buildArgs,
            List<String> platforms,
            List<String> trusted,
            boolean requireDigest,
            boolean requireVetted,
            String policy,
            boolean anyPolicy) {
        this(
                files,
                images,
                buildArgs,
                platforms,
                trusted,
                requireDigest,
                requireVetted,
                policy,
                anyPolicy,
                List.of());
    }

    public GateSpec {
        verifyKeys = Specs.copy(verifyKeys);
        files = Specs.copy(files);
        images = images == null ? List.of() : List.copyOf(images);
        buildArgs = Specs.copy(buildArgs);
        platforms = Specs.copy(platforms);
        trusted = Specs.copy(trusted);
        map = Specs.copy(map);
        quarantine = quarantine == null || quarantine.isBlank() ? null : quarantine.strip();
    }

    @Override
    public Operation operation() {
        return Operation.GATE;
    }

    @Override
    public void validate() {
        if (files.isEmpty() && images.isEmpty()) {
            throw ImageGateException.usage(
                    Field.DOCKERFILES,
                    "gate.nothing",
                    "give the Dockerfiles to check ({0})",
                    Field.DOCKERFILES);
        }
        Specs.nonEmpty(Field.TRUSTED, trusted);
        Inputs.list(Field.TRUSTED, trusted);
        Inputs.keyValues(Field.BUILD_ARG, buildArgs);
        Inputs.platforms(Field.PLATFORM, platforms);
        io.imagegate.mapping.ImageMapping.parse(map);
        for (String key : verifyKeys) {
            if (key == null || key.isBlank()) {
                throw ImageGateException.usage(
                        Field.VERIFY_KEY,
                        "gate.verify-key-empty",
                        "a verification key ({0}) is empty; name a" + " public key file",
                        Field.VERIFY_KEY);
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link GateSpec}. */
    public static final class Builder {
        private final java.util.List<String> files = new java.util.ArrayList<>();
        private final java.util.List<ImageSource> images = new java.util.ArrayList<>();
        private final java.util.List<String> buildArgs = new java.util.ArrayList<>();
        private final java.util.List<String> platforms = new java.util.ArrayList<>();
        private final java.util.List<String> trusted = new java.util.ArrayList<>();
        private boolean requireDigest;
        private boolean requireVetted;
        private String policy;
        private boolean anyPolicy;
        private final java.util.List<String> verifyKeys = new java.util.ArrayList<>();
        private final java.util.List<String> map = new java.util.ArrayList<>();
        private String quarantine;

        public Builder map(List<String> values) {
            map.addAll(Specs.copy(values));
            return this;
        }

        public Builder quarantine(String value) {
            quarantine = value;
            return this;
        }

        public Builder verifyKeys(List<String> values) {
            verifyKeys.addAll(Specs.copy(values));
            return this;
        }

        public Builder files(List<String> values) {
            files.addAll(Specs.copy(values));
            return this;
        }

        public Builder images(List<ImageSource> values) {
            images.addAll(values);
            return this;
        }

        public Builder buildArgs(List<String> values) {
            buildArgs.addAll(Specs.copy(values));
            return this;
        }

        public Builder platforms(List<String> values) {
            platforms.addAll(Specs.copy(values));
            return this;
        }

        public Builder trusted(List<String> values) {
            trusted.addAll(Specs.copy(values));
            return this;
        }

        public Builder requireDigest(boolean value) {
            requireDigest = value;
            return this;
        }

        public Builder requireVetted(boolean value) {
            requireVetted = value;
            return this;
        }

        public Builder policy(String value) {
            policy = value;
            return this;
        }

        public Builder anyPolicy(boolean value) {
            anyPolicy = value;
            return this;
        }

        public GateSpec build() {
            return new GateSpec(
                    files,
                    images,
                    buildArgs,
                    platforms,
                    trusted,
                    requireDigest,
                    requireVetted,
                    policy,
                    anyPolicy,
                    verifyKeys,
                    map,
                    quarantine);
        }
    }
}
