package io.imagegate.jenkins;

import io.imagegate.api.ImportSpec;
import io.imagegate.message.Field;
import java.util.ArrayList;
import java.util.List;

/** {@code imagegateImport}: copy an image into a registry. */
public final class ImportParameters extends StepParameters {
    private static final long serialVersionUID = 1L;

    /** The API's default, read from it rather than copied. */
    static final int DEFAULT_PARALLEL = ImportSpec.builder().build().parallelism();

    private final String source;
    private String target;
    private ArrayList<String> map = new ArrayList<>();
    private ArrayList<String> platforms = new ArrayList<>();
    private boolean force;
    private int parallel = DEFAULT_PARALLEL;
    private String chunkSize;
    private String timeout;
    private String referrers;
    private String sourceCredentialsId;
    private String targetCredentialsId;

    /**
     * @param source the image to copy, by tag or digest
     */
    public ImportParameters(String source) {
        this.source = Values.text(source);
    }

    @Override
    public StepKind kind() {
        return StepKind.IMPORT;
    }

    public String getSource() {
        return source;
    }

    public String getTarget() {
        return target;
    }

    /** Where to put it (a tag); unset: derive it with {@code map}. */
    public void setTarget(String target) {
        this.target = Values.text(target);
    }

    public List<String> getMap() {
        return List.copyOf(map);
    }

    /** Mapping rules {@code SRC_PREFIX=DST_PREFIX} that derive the target (first match wins). */
    public void setMap(List<String> map) {
        this.map = Values.list(map);
    }

    public List<String> getPlatforms() {
        return List.copyOf(platforms);
    }

    /**
     * Keep only these platforms of a multi-arch image ({@code linux/amd64}); empty: all, digest
     * unchanged.
     */
    public void setPlatforms(List<String> platforms) {
        this.platforms = Values.list(platforms);
    }

    public boolean isForce() {
        return force;
    }

    /** Overwrite a target tag that holds a different image. */
    public void setForce(boolean force) {
        this.force = force;
    }

    public int getParallel() {
        return parallel;
    }

    /** Blobs copied at once. */
    public void setParallel(int parallel) {
        this.parallel = parallel;
    }

    public String getChunkSize() {
        return chunkSize;
    }

    /**
     * Upload larger blobs in chunks of this size (MiB, or {@code 512k}, {@code 1g}) for registries
     * behind body-capping proxies.
     */
    public void setChunkSize(String chunkSize) {
        this.chunkSize = Values.text(chunkSize);
    }

    public String getTimeout() {
        return timeout;
    }

    /** The longest the import may take: seconds, or {@code 30m}, {@code 2h}; unset: an hour. */
    public void setTimeout(String timeout) {
        this.timeout = Values.text(timeout);
    }

    public String getReferrers() {
        return referrers;
    }

    /**
     * Which of the source's referrers travel with the image: {@code all} (the default), {@code
     * signatures} (cosign's) or {@code none}.
     */
    public void setReferrers(String referrers) {
        this.referrers = Values.text(referrers);
    }

    public String getSourceCredentialsId() {
        return sourceCredentialsId;
    }

    /**
     * {@code REGISTRY=CREDENTIALS_ID}: the source registry's credentials, bound to it ({@code
     * docker.io=dockerhub}); a source on another registry gets none of them.
     */
    public void setSourceCredentialsId(String sourceCredentialsId) {
        this.sourceCredentialsId = Values.text(sourceCredentialsId);
    }

    public String getTargetCredentialsId() {
        return targetCredentialsId;
    }

    /**
     * {@code REGISTRY=CREDENTIALS_ID}: the target registry's credentials, bound to it; a target on
     * another registry gets none.
     */
    public void setTargetCredentialsId(String targetCredentialsId) {
        this.targetCredentialsId = Values.text(targetCredentialsId);
    }

    @Override
    void roles(List<Role> roles) {
        roles.add(
                new Role(
                        Field.SOURCE,
                        source,
                        Field.SOURCE_CREDENTIALS,
                        binding(Field.SOURCE_CREDENTIALS, sourceCredentialsId)));
        roles.add(
                new Role(
                        Field.TARGET,
                        derivedTarget(
                                () ->
                                        spec(CredentialValues.none(), Bindings.NONE)
                                                .targetReference()),
                        Field.TARGET_CREDENTIALS,
                        binding(Field.TARGET_CREDENTIALS, targetCredentialsId)));
    }

    @Override
    ImportSpec spec(CredentialValues credentials, Bindings bindings) {
        return ImportSpec.builder()
                .source(source)
                .target(target)
                .map(map)
                .platforms(platforms)
                .force(force)
                .parallelism(parallel)
                .chunkSize(chunkSize)
                .timeout(timeout)
                .referrers(referrers)
                .sourceCredentials(bindings.ref(Field.SOURCE_CREDENTIALS, credentials))
                .targetCredentials(bindings.ref(Field.TARGET_CREDENTIALS, credentials))
                .build();
    }
}
