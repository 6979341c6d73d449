package io.imagegate.jenkins.plugin;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.imagegate.jenkins.StepKind;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;

import java.util.Set;

/** What every imagegate step needs: a workspace (the work runs on its agent), the build, its log, environment and node. */
public abstract class ImagegateStepDescriptor extends StepDescriptor {
    private final StepKind kind;

    protected ImagegateStepDescriptor(StepKind kind) {
        this.kind = kind;
    }

    @Override
    public String getFunctionName() {
        return kind.functionName();
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return kind.displayName();
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
        // Launcher: archiving the reports; FlowNode: the stage's WarningAction when a step marks the build unstable.
        return Set.of(Run.class, FilePath.class, TaskListener.class, EnvVars.class, Launcher.class, FlowNode.class);
    }
}
