package io.imagegate.jenkins.plugin;

import io.imagegate.jenkins.ScanningParameters;

import org.kohsuke.stapler.DataBoundSetter;

import java.util.List;

/**
 * A step that runs Trivy and judges the findings (scan, vet): the policy, the reports, and how
 * Trivy runs.
 */
public abstract class ScanningStep<P extends ScanningParameters> extends JudgedStep<P> {
    protected ScanningStep(P parameters) {
        super(parameters);
    }

    public String getPolicy() {
        return parameters.getPolicy();
    }

    @DataBoundSetter
    public void setPolicy(String policy) {
        parameters.setPolicy(policy);
    }

    public String getReportDir() {
        return parameters.getReportDir();
    }

    @DataBoundSetter
    public void setReportDir(String reportDir) {
        parameters.setReportDir(reportDir);
    }

    public String getTrivy() {
        return parameters.getTrivy();
    }

    @DataBoundSetter
    public void setTrivy(String trivy) {
        parameters.setTrivy(trivy);
    }

    public String getCacheDir() {
        return parameters.getCacheDir();
    }

    @DataBoundSetter
    public void setCacheDir(String cacheDir) {
        parameters.setCacheDir(cacheDir);
    }

    public boolean isSkipDbUpdate() {
        return parameters.isSkipDbUpdate();
    }

    @DataBoundSetter
    public void setSkipDbUpdate(boolean skipDbUpdate) {
        parameters.setSkipDbUpdate(skipDbUpdate);
    }

    public boolean isSkipJavaDbUpdate() {
        return parameters.isSkipJavaDbUpdate();
    }

    @DataBoundSetter
    public void setSkipJavaDbUpdate(boolean skipJavaDbUpdate) {
        parameters.setSkipJavaDbUpdate(skipJavaDbUpdate);
    }

    public boolean isOfflineScan() {
        return parameters.isOfflineScan();
    }

    @DataBoundSetter
    public void setOfflineScan(boolean offlineScan) {
        parameters.setOfflineScan(offlineScan);
    }

    public String getDbRepository() {
        return parameters.getDbRepository();
    }

    @DataBoundSetter
    public void setDbRepository(String dbRepository) {
        parameters.setDbRepository(dbRepository);
    }

    public String getTimeout() {
        return parameters.getTimeout();
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        parameters.setTimeout(timeout);
    }

    public List<String> getSeverities() {
        return parameters.getSeverities();
    }

    @DataBoundSetter
    public void setSeverities(List<String> severities) {
        parameters.setSeverities(severities);
    }

    public String getTrivyServer() {
        return parameters.getTrivyServer();
    }

    @DataBoundSetter
    public void setTrivyServer(String trivyServer) {
        parameters.setTrivyServer(trivyServer);
    }

    public String getTrivyServerCredentialsId() {
        return parameters.getTrivyServerCredentialsId();
    }

    @DataBoundSetter
    public void setTrivyServerCredentialsId(String trivyServerCredentialsId) {
        parameters.setTrivyServerCredentialsId(trivyServerCredentialsId);
    }
}
