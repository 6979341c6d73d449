package io.imagegate.jenkins.plugin;

import hudson.Extension;

import io.imagegate.jenkins.StepKind;
import io.imagegate.jenkins.VetParameters;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.util.List;

/**
 * {@code imagegateVet source: '…', target: '…'}: quarantine, scan, and promote under the trusted
 * name only on PASS.
 */
public final class VetStep extends ScanningStep<VetParameters> {
    @DataBoundConstructor
    public VetStep(String source) {
        super(new VetParameters(source));
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

    public String getQuarantine() {
        return parameters.getQuarantine();
    }

    @DataBoundSetter
    public void setQuarantine(String quarantine) {
        parameters.setQuarantine(quarantine);
    }

    public List<String> getPlatforms() {
        return parameters.getPlatforms();
    }

    @DataBoundSetter
    public void setPlatforms(List<String> platforms) {
        parameters.setPlatforms(platforms);
    }

    public String getReferrers() {
        return parameters.getReferrers();
    }

    @DataBoundSetter
    public void setReferrers(String referrers) {
        parameters.setReferrers(referrers);
    }

    public boolean isForce() {
        return parameters.isForce();
    }

    @DataBoundSetter
    public void setForce(boolean force) {
        parameters.setForce(force);
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

    public String getSigningKeyCredentialsId() {
        return parameters.getSigningKeyCredentialsId();
    }

    @DataBoundSetter
    public void setSigningKeyCredentialsId(String signingKeyCredentialsId) {
        parameters.setSigningKeyCredentialsId(signingKeyCredentialsId);
    }

    public String getSigningKeyPasswordCredentialsId() {
        return parameters.getSigningKeyPasswordCredentialsId();
    }

    @DataBoundSetter
    public void setSigningKeyPasswordCredentialsId(String signingKeyPasswordCredentialsId) {
        parameters.setSigningKeyPasswordCredentialsId(signingKeyPasswordCredentialsId);
    }

    @Extension
    @Symbol("imagegateVet")
    public static final class DescriptorImpl extends ImagegateStepDescriptor {
        public DescriptorImpl() {
            super(StepKind.VET);
        }
    }
}
