package io.imagegate.jenkins.plugin;

import hudson.Extension;

import io.imagegate.jenkins.ScanParameters;
import io.imagegate.jenkins.StepKind;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code imagegateScan image: '…'}: scan every platform of an image with Trivy and judge it against
 * the policy.
 */
public final class ScanStep extends ScanningStep<ScanParameters> {
    @DataBoundConstructor
    public ScanStep(String image) {
        super(new ScanParameters(image));
    }

    public String getImage() {
        return parameters.getImage();
    }

    @Extension
    @Symbol("imagegateScan")
    public static final class DescriptorImpl extends ImagegateStepDescriptor {
        public DescriptorImpl() {
            super(StepKind.SCAN);
        }
    }
}
