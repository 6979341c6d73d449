package io.imagegate.jenkins.plugin;

import hudson.Extension;

import io.imagegate.jenkins.StepKind;
import io.imagegate.jenkins.UpdateParameters;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.util.List;

/**
 * {@code imagegateUpdate files: […], trusted: […]}: re-pin Dockerfiles and Jib to the newest vetted
 * digests; returns the changed files, the branch and the summary.
 */
public final class UpdateStep extends JudgedStep<UpdateParameters> {
    @DataBoundConstructor
    public UpdateStep(List<String> files, List<String> trusted) {
        super(new UpdateParameters(files, trusted));
    }

    public List<String> getFiles() {
        return parameters.getFiles();
    }

    public List<String> getTrusted() {
        return parameters.getTrusted();
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

    public boolean isCheck() {
        return parameters.isCheck();
    }

    @DataBoundSetter
    public void setCheck(boolean check) {
        parameters.setCheck(check);
    }

    public String getPatch() {
        return parameters.getPatch();
    }

    @DataBoundSetter
    public void setPatch(String patch) {
        parameters.setPatch(patch);
    }

    public String getSummary() {
        return parameters.getSummary();
    }

    @DataBoundSetter
    public void setSummary(String summary) {
        parameters.setSummary(summary);
    }

    public boolean isCommit() {
        return parameters.isCommit();
    }

    @DataBoundSetter
    public void setCommit(boolean commit) {
        parameters.setCommit(commit);
    }

    public String getBranch() {
        return parameters.getBranch();
    }

    @DataBoundSetter
    public void setBranch(String branch) {
        parameters.setBranch(branch);
    }

    public String getRenovateDatasource() {
        return parameters.getRenovateDatasource();
    }

    @DataBoundSetter
    public void setRenovateDatasource(String renovateDatasource) {
        parameters.setRenovateDatasource(renovateDatasource);
    }

    @Extension
    @Symbol("imagegateUpdate")
    public static final class DescriptorImpl extends ImagegateStepDescriptor {
        public DescriptorImpl() {
            super(StepKind.UPDATE);
        }
    }
}
