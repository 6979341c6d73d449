package io.imagegate.jenkins.plugin;

import hudson.Extension;

import io.imagegate.jenkins.RewriteParameters;
import io.imagegate.jenkins.StepKind;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.util.List;

/**
 * {@code imagegateRewrite files: […], map: […]}: point Dockerfile references at the private
 * registry.
 */
public final class RewriteStep extends JudgedStep<RewriteParameters> {
    @DataBoundConstructor
    public RewriteStep(List<String> files, List<String> map) {
        super(new RewriteParameters(files, map));
    }

    public List<String> getFiles() {
        return parameters.getFiles();
    }

    public List<String> getMap() {
        return parameters.getMap();
    }

    public boolean isPin() {
        return parameters.isPin();
    }

    @DataBoundSetter
    public void setPin(boolean pin) {
        parameters.setPin(pin);
    }

    public String getPinPlatform() {
        return parameters.getPinPlatform();
    }

    @DataBoundSetter
    public void setPinPlatform(String pinPlatform) {
        parameters.setPinPlatform(pinPlatform);
    }

    public List<String> getBuildArgs() {
        return parameters.getBuildArgs();
    }

    @DataBoundSetter
    public void setBuildArgs(List<String> buildArgs) {
        parameters.setBuildArgs(buildArgs);
    }

    public boolean isCheck() {
        return parameters.isCheck();
    }

    @DataBoundSetter
    public void setCheck(boolean check) {
        parameters.setCheck(check);
    }

    @Extension
    @Symbol("imagegateRewrite")
    public static final class DescriptorImpl extends ImagegateStepDescriptor {
        public DescriptorImpl() {
            super(StepKind.REWRITE);
        }
    }
}
