package io.imagegate.jenkins;

import io.imagegate.api.TrivySettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Parameters of the steps that run Trivy and judge its findings (scan, vet): the policy, reports,
 * and how Trivy runs.
 */
public abstract class ScanningParameters extends JudgedParameters {
    private static final long serialVersionUID = 1L;

    private String policy;
    private String reportDir;
    private String trivy;
    private String cacheDir;
    private boolean skipDbUpdate;
    private boolean skipJavaDbUpdate;
    private boolean offlineScan;
    private String dbRepository;
    private String timeout;
    private ArrayList<String> severities = new ArrayList<>();
    private String trivyServer;
    private String trivyServerCredentialsId;

    public String getPolicy() {
        return policy;
    }

    /**
     * The policy file (YAML or JSON), relative to the workspace; unset: fail on HIGH and CRITICAL.
     */
    public void setPolicy(String policy) {
        this.policy = Values.text(policy);
    }

    public String getReportDir() {
        return reportDir;
    }

    /**
     * Write JSON, SARIF, JUnit XML and HTML reports into this directory (relative to the
     * workspace); they are archived.
     */
    public void setReportDir(String reportDir) {
        this.reportDir = Values.text(reportDir);
    }

    public String getTrivy() {
        return trivy;
    }

    /** The Trivy binary on the agent; unset: {@code TRIVY_PATH}, then the PATH. */
    public void setTrivy(String trivy) {
        this.trivy = Values.text(trivy);
    }

    public String getCacheDir() {
        return cacheDir;
    }

    /** Trivy's cache directory; unset: {@code ~/.cache/trivy} of the agent's user. */
    public void setCacheDir(String cacheDir) {
        this.cacheDir = Values.text(cacheDir);
    }

    public boolean isSkipDbUpdate() {
        return skipDbUpdate;
    }

    public void setSkipDbUpdate(boolean skipDbUpdate) {
        this.skipDbUpdate = skipDbUpdate;
    }

    public boolean isSkipJavaDbUpdate() {
        return skipJavaDbUpdate;
    }

    public void setSkipJavaDbUpdate(boolean skipJavaDbUpdate) {
        this.skipJavaDbUpdate = skipJavaDbUpdate;
    }

    public boolean isOfflineScan() {
        return offlineScan;
    }

    public void setOfflineScan(boolean offlineScan) {
        this.offlineScan = offlineScan;
    }

    public String getDbRepository() {
        return dbRepository;
    }

    public void setDbRepository(String dbRepository) {
        this.dbRepository = Values.text(dbRepository);
    }

    public String getTimeout() {
        return timeout;
    }

    /** The longest one scan may take: seconds, or {@code 10m}, {@code 1h}; unset: 10 minutes. */
    public void setTimeout(String timeout) {
        this.timeout = Values.text(timeout);
    }

    public List<String> getSeverities() {
        return List.copyOf(severities);
    }

    /** Severities Trivy reports; empty: all. */
    public void setSeverities(List<String> severities) {
        this.severities = Values.list(severities);
    }

    public String getTrivyServer() {
        return trivyServer;
    }

    /** Scan through a Trivy server at this URL instead of running Trivy's scanner locally. */
    public void setTrivyServer(String trivyServer) {
        this.trivyServer = Values.text(trivyServer);
    }

    public String getTrivyServerCredentialsId() {
        return trivyServerCredentialsId;
    }

    /** A secret text credential holding the Trivy server's token. */
    public void setTrivyServerCredentialsId(String trivyServerCredentialsId) {
        this.trivyServerCredentialsId = Values.text(trivyServerCredentialsId);
    }

    @Override
    void otherCredentials(List<CredentialUse> uses) {
        if (trivyServerCredentialsId != null) {
            uses.add(
                    new CredentialUse(
                            trivyServerCredentialsId,
                            "trivyServerCredentialsId",
                            CredentialUse.Accepts.SECRET_TEXT,
                            trivyServer));
        }
    }

    TrivySettings trivySettings(CredentialValues credentials) {
        return TrivySettings.builder()
                .path(trivy)
                .cacheDir(cacheDir)
                .skipDbUpdate(skipDbUpdate)
                .skipJavaDbUpdate(skipJavaDbUpdate)
                .offlineScan(offlineScan)
                .dbRepository(dbRepository)
                .timeout(timeout)
                .severities(severities)
                .server(trivyServer, credentials.secret(trivyServerCredentialsId))
                .build();
    }
}
