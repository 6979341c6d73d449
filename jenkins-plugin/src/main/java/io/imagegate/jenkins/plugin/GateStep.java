package io.imagegate.jenkins.plugin;

import hudson.Extension;

import io.imagegate.jenkins.GateParameters;
import io.imagegate.jenkins.StepKind;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.util.List;

/**
 * {@code imagegateGate files: […], trusted: […]}: fail the build on an untrusted, unpinned or
 * unvetted base image.
 */
public final class GateStep extends JudgedStep<GateParameters> {
    @DataBoundConstructor
    public GateStep(List<String> files, List<String> trusted) {
        super(new GateParameters(files, trusted));
    }

    public List<String> getFiles() {
        return parameters.getFiles();
    }

    public List<String> getTrusted() {
        return parameters.getTrusted();
    }

    public List<String> getBuildArgs() {
        return parameters.getBuildArgs();
    }

    @DataBoundSetter
    public void setBuildArgs(List<String> buildArgs) {
        parameters.setBuildArgs(buildArgs);
    }

    public List<String> getPlatforms() {
        return parameters.getPlatforms();
    }

    @DataBoundSetter
    public void setPlatforms(List<String> platforms) {
        parameters.setPlatforms(platforms);
    }

    public boolean isRequireDigest() {
        return parameters.isRequireDigest();
    }

    @DataBoundSetter
    public void setRequireDigest(boolean requireDigest) {
        parameters.setRequireDigest(requireDigest);
    }

    public boolean isRequireVetted() {
        return parameters.isRequireVetted();
    }

    @DataBoundSetter
    public void setRequireVetted(boolean requireVetted) {
        parameters.setRequireVetted(requireVetted);
    }

    public String getPolicy() {
        return parameters.getPolicy();
    }

    @DataBoundSetter
    public void setPolicy(String policy) {
        parameters.setPolicy(policy);
    }

    public boolean isAnyPolicy() {
        return parameters.isAnyPolicy();
    }

    @DataBoundSetter
    public void setAnyPolicy(boolean anyPolicy) {
        parameters.setAnyPolicy(anyPolicy);
    }

    public List<String> getVerifyKeys() {
        return parameters.getVerifyKeys();
    }

    @DataBoundSetter
    public void setVerifyKeys(List<String> verifyKeys) {
        parameters.setVerifyKeys(verifyKeys);
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

    @Extension
    @Symbol("imagegateGate")
    public static final class DescriptorImpl extends ImagegateStepDescriptor {
        public DescriptorImpl() {
            super(StepKind.GATE);
        }
    }
}
