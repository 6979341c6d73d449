package io.imagegate.jenkins;

import io.imagegate.api.GateSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code imagegateGate}: fail the build when a Dockerfile uses an image outside the trusted
 * prefixes, unpinned or unvetted.
 */
public final class GateParameters extends JudgedParameters {
    private static final long serialVersionUID = 1L;

    private final ArrayList<String> files;
    private final ArrayList<String> trusted;
    private ArrayList<String> buildArgs = new ArrayList<>();
    private ArrayList<String> platforms = new ArrayList<>();
    private boolean requireDigest;
    private boolean requireVetted;
    private String policy;
    private boolean anyPolicy;
    private ArrayList<String> verifyKeys = new ArrayList<>();
    private ArrayList<String> map = new ArrayList<>();
    private String quarantine;

    /**
     * @param files Dockerfiles, or glob patterns, relative to the workspace (a pattern matching
     *     nothing is an error)
     * @param trusted trusted registry prefixes, e.g. {@code registry.example.com/base}
     */
    public GateParameters(List<String> files, List<String> trusted) {
        this.files = Values.list(files);
        this.trusted = Values.list(trusted);
    }

    @Override
    public StepKind kind() {
        return StepKind.GATE;
    }

    public List<String> getFiles() {
        return List.copyOf(files);
    }

    public List<String> getTrusted() {
        return List.copyOf(trusted);
    }

    public List<String> getBuildArgs() {
        return List.copyOf(buildArgs);
    }

    /** {@code KEY=VALUE} build args; only declared ARGs take them. */
    public void setBuildArgs(List<String> buildArgs) {
        this.buildArgs = Values.list(buildArgs);
    }

    public List<String> getPlatforms() {
        return List.copyOf(platforms);
    }

    /** Target platforms for the automatic platform args ({@code TARGETPLATFORM}, …). */
    public void setPlatforms(List<String> platforms) {
        this.platforms = Values.list(platforms);
    }

    public boolean isRequireDigest() {
        return requireDigest;
    }

    /** Every reference must be pinned by digest. */
    public void setRequireDigest(boolean requireDigest) {
        this.requireDigest = requireDigest;
    }

    public boolean isRequireVetted() {
        return requireVetted;
    }

    /** Every reference must have a PASS verdict recorded beside it in its registry. */
    public void setRequireVetted(boolean requireVetted) {
        this.requireVetted = requireVetted;
    }

    public String getPolicy() {
        return policy;
    }

    /**
     * With {@code requireVetted}: verdicts count only under this policy (by digest), within its
     * {@code maxVerdictAge}.
     */
    public void setPolicy(String policy) {
        this.policy = Values.text(policy);
    }

    public boolean isAnyPolicy() {
        return anyPolicy;
    }

    /** With {@code requireVetted}: accept a PASS verdict made under any policy. */
    public void setAnyPolicy(boolean anyPolicy) {
        this.anyPolicy = anyPolicy;
    }

    public List<String> getVerifyKeys() {
        return List.copyOf(verifyKeys);
    }

    /**
     * With {@code requireVetted}: cosign public key files (PEM), relative to the workspace; a PASS
     * counts only when its signed attestation verifies with one of them and names this digest, the
     * policy and a PASS. Several for key rotation.
     */
    public void setVerifyKeys(List<String> verifyKeys) {
        this.verifyKeys = Values.list(verifyKeys);
    }

    public List<String> getMap() {
        return List.copyOf(map);
    }

    /**
     * The mapping rules {@code imagegateVet} and {@code imagegateRewrite} use ({@code
     * SRC_PREFIX=DST_PREFIX}, first match wins): the printed fixes follow them. Default: the
     * collision-free rule under the first trusted prefix.
     */
    public void setMap(List<String> map) {
        this.map = Values.list(map);
    }

    public String getQuarantine() {
        return quarantine;
    }

    /** The quarantine prefix {@code imagegateVet} uses, which the printed fixes name. */
    public void setQuarantine(String quarantine) {
        this.quarantine = Values.text(quarantine);
    }

    /**
     * Its images are in Dockerfiles, not parameters: {@code registryCredentials} serve their
     * registries.
     */
    @Override
    void roles(List<Role> roles) {}

    @Override
    GateSpec spec(CredentialValues credentials, Bindings bindings) {
        return GateSpec.builder()
                .files(files)
                .buildArgs(buildArgs)
                .platforms(platforms)
                .trusted(trusted)
                .requireDigest(requireDigest)
                .requireVetted(requireVetted)
                .policy(policy)
                .anyPolicy(anyPolicy)
                .verifyKeys(verifyKeys)
                .map(map)
                .quarantine(quarantine)
                .build();
    }
}
