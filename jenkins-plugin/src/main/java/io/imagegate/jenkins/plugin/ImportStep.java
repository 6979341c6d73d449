package io.imagegate.jenkins.plugin;

import hudson.Extension;

import io.imagegate.jenkins.ImportParameters;
import io.imagegate.jenkins.StepKind;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.util.List;

/**
 * {@code imagegateImport source: '…', target: '…'}: copy an image into a registry, byte for byte.
 */
public final class ImportStep extends ImagegateStep<ImportParameters> {
    @DataBoundConstructor
    public ImportStep(String source) {
        super(new ImportParameters(source));
    }

    public String getSource() {
        return parameters.getSource();
    }

    public String getTarget() {
        return parameters.getTarget();
    }

    @DataBoundSetter
    public void setTarget(String target) {
        parameters.setTarget(target);
    }

    public List<String> getMap() {
        return parameters.getMap();
    }

    @DataBoundSetter
    public void setMap(List<String> map) {
        parameters.setMap(map);
    }

    public List<String> getPlatforms() {
        return parameters.getPlatforms();
    }

    @DataBoundSetter
    public void setPlatforms(List<String> platforms) {
        parameters.setPlatforms(platforms);
    }

    public boolean isForce() {
        return parameters.isForce();
    }

    @DataBoundSetter
    public void setForce(boolean force) {
        parameters.setForce(force);
    }

    public int getParallel() {
        return parameters.getParallel();
    }

    @DataBoundSetter
    public void setParallel(int parallel) {
        parameters.setParallel(parallel);
    }

    public String getChunkSize() {
        return parameters.getChunkSize();
    }

    @DataBoundSetter
    public void setChunkSize(String chunkSize) {
        parameters.setChunkSize(chunkSize);
    }

    public String getReferrers() {
        return parameters.getReferrers();
    }

    @DataBoundSetter
    public void setReferrers(String referrers) {
        parameters.setReferrers(referrers);
    }

    public String getTimeout() {
        return parameters.getTimeout();
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        parameters.setTimeout(timeout);
    }

    public String getSourceCredentialsId() {
        return parameters.getSourceCredentialsId();
    }

    @DataBoundSetter
    public void setSourceCredentialsId(String sourceCredentialsId) {
        parameters.setSourceCredentialsId(sourceCredentialsId);
    }

    public String getTargetCredentialsId() {
        return parameters.getTargetCredentialsId();
    }

    @DataBoundSetter
    public void setTargetCredentialsId(String targetCredentialsId) {
        parameters.setTargetCredentialsId(targetCredentialsId);
    }

    @Extension
    @Symbol("imagegateImport")
    public static final class DescriptorImpl extends ImagegateStepDescriptor {
        public DescriptorImpl() {
            super(StepKind.IMPORT);
        }
    }
}
