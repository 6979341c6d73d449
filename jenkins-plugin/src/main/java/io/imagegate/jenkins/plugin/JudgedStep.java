package io.imagegate.jenkins.plugin;

import io.imagegate.jenkins.JudgedParameters;

import org.kohsuke.stapler.DataBoundSetter;

/**
 * A step whose outcome can be a policy failure: {@code unstable: true} marks the build UNSTABLE
 * instead of failing it.
 */
public abstract class JudgedStep<P extends JudgedParameters> extends ImagegateStep<P> {
    protected JudgedStep(P parameters) {
        super(parameters);
    }

    public boolean isUnstable() {
        return parameters.isUnstable();
    }

    @DataBoundSetter
    public void setUnstable(boolean unstable) {
        parameters.setUnstable(unstable);
    }
}
