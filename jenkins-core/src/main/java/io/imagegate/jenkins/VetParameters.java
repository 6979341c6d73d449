package io.imagegate.jenkins;

import io.imagegate.api.KeyContent;
import io.imagegate.api.VetSpec;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code imagegateVet}: quarantine an image, scan it, and promote it under the trusted name only if
 * it passes.
 */
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
    private String signingKeyCredentialsId;
    private String signingKeyPasswordCredentialsId;

    /**
     * @param source the image to vet, by tag or digest
     */
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

    /**
     * Vet again even when a fresh PASS verdict exists; overwrite a trusted tag holding another
     * image.
     */
    public void setForce(boolean force) {
        this.force = force;
    }

    public String getReferrers() {
        return referrers;
    }

    /**
     * Which of the source's referrers go to quarantine and are promoted with the image: {@code all}
     * (the default), {@code signatures} (cosign's) or {@code none}.
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

    public String getSigningKeyCredentialsId() {
        return signingKeyCredentialsId;
    }

    /**
     * A secret file credential holding the private key that signs the verdict (as {@code cosign
     * generate-key-pair} writes it, or unencrypted PKCS#8 PEM); unset: the verdict is recorded
     * unsigned. Its content reaches the work in memory only.
     */
    public void setSigningKeyCredentialsId(String signingKeyCredentialsId) {
        this.signingKeyCredentialsId = Values.text(signingKeyCredentialsId);
    }

    public String getSigningKeyPasswordCredentialsId() {
        return signingKeyPasswordCredentialsId;
    }

    /**
     * A secret text credential holding the signing key's password; unset: the build's {@code
     * IMAGEGATE_SIGNING_KEY_PASSWORD}, else {@code COSIGN_PASSWORD}, or none (an unencrypted key).
     */
    public void setSigningKeyPasswordCredentialsId(String signingKeyPasswordCredentialsId) {
        this.signingKeyPasswordCredentialsId = Values.text(signingKeyPasswordCredentialsId);
    }

    @Override
    void otherCredentials(List<CredentialUse> uses) {
        super.otherCredentials(uses);
        if (signingKeyCredentialsId != null) {
            uses.add(
                    new CredentialUse(
                            signingKeyCredentialsId,
                            "signingKeyCredentialsId",
                            CredentialUse.Accepts.SECRET_FILE,
                            null));
        }
        if (signingKeyPasswordCredentialsId != null) {
            uses.add(
                    new CredentialUse(
                            signingKeyPasswordCredentialsId,
                            "signingKeyPasswordCredentialsId",
                            CredentialUse.Accepts.SECRET_TEXT,
                            null));
        }
    }

    /**
     * The signing key's password goes where the API reads it, the work's environment: never a
     * parameter or an argument.
     */
    @Override
    Map<String, String> variables(Map<String, String> build, CredentialValues credentials) {
        io.imagegate.api.Secret password = credentials.secret(signingKeyPasswordCredentialsId);
        if (password == null) {
            return build;
        }
        Map<String, String> out = new TreeMap<>(build);
        out.put(PASSWORD_VARIABLE, password.reveal());
        return out;
    }

    /** The variable the API reads a signing key's password from first. */
    static final String PASSWORD_VARIABLE = "IMAGEGATE_SIGNING_KEY_PASSWORD";

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
    VetSpec spec(CredentialValues credentials, Bindings bindings) {
        if (signingKeyPasswordCredentialsId != null && signingKeyCredentialsId == null) {
            throw ImageGateException.usage(
                    Field.SIGNING_KEY_PASSWORD,
                    "jenkins.password-without-key",
                    "a signing key password ({0})" + " needs the signing key ({1})",
                    Field.SIGNING_KEY_PASSWORD,
                    Field.SIGNING_KEY);
        }
        KeyContent key = credentials.keyContent(signingKeyCredentialsId);
        // fail closed: a key the work should sign with but was not given would record the verdict
        // unsigned
        if (credentials.lookedUp()
                && (signingKeyCredentialsId != null && key == null
                        || signingKeyPasswordCredentialsId != null
                                && credentials.secret(signingKeyPasswordCredentialsId) == null)) {
            throw ImageGateException.internal(
                    "jenkins.signing-key-missing",
                    "the signing key credentials ({0}, {1}) were not looked up;"
                            + " this is a bug in imagegate, please report it",
                    Field.SIGNING_KEY,
                    Field.SIGNING_KEY_PASSWORD);
        }
        return VetSpec.builder()
                .signingKey(key)
                .source(source)
                .target(target)
                .map(map)
                .quarantine(quarantine)
                .platforms(platforms)
                .policy(getPolicy())
                .force(force)
                .referrers(referrers)
                .reportDir(getReportDir())
                .trivy(trivySettings(credentials))
                .sourceCredentials(bindings.ref(Field.SOURCE_CREDENTIALS, credentials))
                .targetCredentials(bindings.ref(Field.TARGET_CREDENTIALS, credentials))
                .build();
    }
}
