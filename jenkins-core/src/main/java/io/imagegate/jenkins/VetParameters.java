package io.imagegate.jenkins;

import io.imagegate.api.VetSpec;
import io.imagegate.message.Field;

import java.util.ArrayList;
import java.util.List;

/** {@code imagegateVet}: quarantine an image, scan it, and promote it under the trusted name only if it passes. */
public final class VetParameters extends ScanningParameters {
    private static final long serialVersionUID = 1L;

    private final String source;
    private String target;
    private ArrayList<String> map = new ArrayList<>();
    private String quarantine;
    private ArrayList<String> platforms = new ArrayList<>();
    private boolean force;
    private String sourceCredentialsId;
    private String targetCredentialsId;
    private String referrers;

    /** @param source the image to vet, by tag or digest */
    public VetParameters(String source) {
        this.source = Values.text(source);
    }

    @Override
    public StepKind kind() {
        return StepKind.VET;
    }

    public String getSource() {
        return source;
    }

    public String getTarget() {
        return target;
    }

    /** The trusted name (a tag); unset: derive it with {@code map}. */
    public void setTarget(String target) {
        this.target = Values.text(target);
    }

    public List<String> getMap() {
        return List.copyOf(map);
    }

    public void setMap(List<String> map) {
        this.map = Values.list(map);
    }

    public String getQuarantine() {
        return quarantine;
    }

    /** The quarantine repository prefix in the target registry; unset: {@code quarantine}. */
    public void setQuarantine(String quarantine) {
        this.quarantine = Values.text(quarantine);
    }

    public List<String> getPlatforms() {
        return List.copyOf(platforms);
    }

    public void setPlatforms(List<String> platforms) {
        this.platforms = Values.list(platforms);
    }

    public boolean isForce() {
        return force;
    }

    /** Vet again even when a fresh PASS verdict exists; overwrite a trusted tag holding another image. */
    public void setForce(boolean force) {
        this.force = force;
    }

    public String getReferrers() {
        return referrers;
    }

    /**
     * Which of the source's referrers go to quarantine and are promoted with the image: {@code all} (the default),
     * {@code signatures} (cosign's) or {@code none}.
     */
    public void setReferrers(String referrers) {
        this.referrers = Values.text(referrers);
    }

    public String getSourceCredentialsId() {
        return sourceCredentialsId;
    }

    /**
     * {@code REGISTRY=CREDENTIALS_ID}: the source registry's credentials, bound to it ({@code docker.io=dockerhub}); a
     * source on another registry gets none of them.
     */
    public void setSourceCredentialsId(String sourceCredentialsId) {
        this.sourceCredentialsId = Values.text(sourceCredentialsId);
    }

    public String getTargetCredentialsId() {
        return targetCredentialsId;
    }

    /** {@code REGISTRY=CREDENTIALS_ID}: the target registry's credentials, bound to it; a target on another registry gets none. */
    public void setTargetCredentialsId(String targetCredentialsId) {
        this.targetCredentialsId = Values.text(targetCredentialsId);
    }

    @Override
    void roles(List<Role> roles) {
        roles.add(new Role(Field.SOURCE, source, Field.SOURCE_CREDENTIALS, binding(Field.SOURCE_CREDENTIALS, sourceCredentialsId)));
        roles.add(new Role(Field.TARGET, derivedTarget(() -> spec(CredentialValues.none(), Bindings.NONE).targetReference()),
                Field.TARGET_CREDENTIALS, binding(Field.TARGET_CREDENTIALS, targetCredentialsId)));
    }

    @Override
    VetSpec spec(CredentialValues credentials, Bindings bindings) {
        return VetSpec.builder().source(source).target(target).map(map).quarantine(quarantine).platforms(platforms).policy(getPolicy())
                .force(force).referrers(referrers).reportDir(getReportDir()).trivy(trivySettings(credentials))
                .sourceCredentials(bindings.ref(Field.SOURCE_CREDENTIALS, credentials))
                .targetCredentials(bindings.ref(Field.TARGET_CREDENTIALS, credentials)).build();
    }
}
