package io.imagegate.jenkins.plugin;

import io.imagegate.jenkins.StepParameters;

import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundSetter;

import java.util.List;

/**
 * An imagegate step: a data-bound bean whose every parameter lives in the Jenkins-free model
 * ({@link StepParameters}, from imagegate-jenkins-core). The step only adapts Jenkins' data binding
 * onto it; a test in the default build checks that every {@code @DataBoundSetter} here has its
 * property in the model, and the other way round.
 *
 * @param <P> the step's parameter model
 */
public abstract class ImagegateStep<P extends StepParameters> extends Step {
    /** The model; every getter and setter of the step delegates to it. */
    protected final P parameters;

    protected ImagegateStep(P parameters) {
        this.parameters = parameters;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new ImagegateStepExecution(context, parameters);
    }

    public List<String> getInsecureRegistries() {
        return parameters.getInsecureRegistries();
    }

    @DataBoundSetter
    public void setInsecureRegistries(List<String> insecureRegistries) {
        parameters.setInsecureRegistries(insecureRegistries);
    }

    public List<String> getAnonymousRegistries() {
        return parameters.getAnonymousRegistries();
    }

    @DataBoundSetter
    public void setAnonymousRegistries(List<String> anonymousRegistries) {
        parameters.setAnonymousRegistries(anonymousRegistries);
    }

    public String getCaFile() {
        return parameters.getCaFile();
    }

    @DataBoundSetter
    public void setCaFile(String caFile) {
        parameters.setCaFile(caFile);
    }

    public List<String> getRegistryCredentials() {
        return parameters.getRegistryCredentials();
    }

    @DataBoundSetter
    public void setRegistryCredentials(List<String> registryCredentials) {
        parameters.setRegistryCredentials(registryCredentials);
    }

    public boolean isFailOnError() {
        return parameters.isFailOnError();
    }

    @DataBoundSetter
    public void setFailOnError(boolean failOnError) {
        parameters.setFailOnError(failOnError);
    }
}
