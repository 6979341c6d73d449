package io.imagegate.jenkins.plugin;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.slaves.WorkspaceList;

import io.imagegate.jenkins.AgentRequest;
import io.imagegate.jenkins.CredentialUse;
import io.imagegate.jenkins.CredentialValue;
import io.imagegate.jenkins.CredentialValues;
import io.imagegate.jenkins.StepParameters;
import io.imagegate.jenkins.StepResult;

import jenkins.util.BuildListenerAdapter;

import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a step: checks the parameters and looks up the credentials on the controller, sends the work
 * to the agent that owns the workspace, archives the reports, records the summary row on the build,
 * and applies the outcome-to-result table (fail, mark UNSTABLE with a warning on the stage, or
 * return the result map to the script).
 */
final class ImagegateStepExecution
        extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;

    /**
     * Not kept across a controller restart: a synchronous non-blocking step is not resumed after
     * one.
     */
    private final transient StepParameters parameters;

    ImagegateStepExecution(StepContext context, StepParameters parameters) {
        super(context);
        this.parameters = parameters;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        StepContext context = getContext();
        Run<?, ?> run = context.get(Run.class);
        TaskListener listener = context.get(TaskListener.class);
        FilePath workspace = context.get(FilePath.class);
        EnvVars environment = context.get(EnvVars.class);
        Launcher launcher = context.get(Launcher.class);
        FlowNode node = context.get(FlowNode.class);
        String name = parameters.kind().functionName();

        Optional<String> problem = parameters.problem();
        if (problem.isPresent()) {
            throw new AbortException(name + ": " + problem.get());
        }
        List<CredentialValue> values = new ArrayList<>();
        for (CredentialUse use : parameters.credentialUses()) {
            values.add(JenkinsCredentials.lookup(name, use, run));
        }
        FilePath temp = WorkspaceList.tempDir(workspace);
        AgentRequest request =
                new AgentRequest(
                        parameters,
                        CredentialValues.of(values),
                        environment,
                        temp == null ? null : temp.child("imagegate").getRemote());

        StepResult result = workspace.act(new AgentCallable(request, listener));

        if (!result.reports().isEmpty()) {
            Map<String, String> artifacts = new LinkedHashMap<>();
            result.reports().forEach(report -> artifacts.put(report, report));
            run.pickArtifactManager()
                    .archive(workspace, launcher, BuildListenerAdapter.wrap(listener), artifacts);
        }
        ImagegateAction.of(run).add(result.row());
        run.save();

        switch (result.result()) {
            case SUCCESS:
                break;
            case UNSTABLE:
                // as the unstable step does (workflow-basic-steps UnstableStep): the stage shows
                // it, the build takes it
                node.addOrReplaceAction(
                        new WarningAction(Result.UNSTABLE).withMessage(result.message()));
                run.setResult(Result.UNSTABLE);
                listener.getLogger().println("WARNING: " + result.message());
                break;
            case FAILURE:
            default:
                throw new AbortException(result.message());
        }
        return result.values();
    }
}
