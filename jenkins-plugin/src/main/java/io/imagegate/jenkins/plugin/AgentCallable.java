package io.imagegate.jenkins.plugin;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;

import io.imagegate.jenkins.AgentRequest;
import io.imagegate.jenkins.AgentWork;
import io.imagegate.jenkins.StepResult;

import jenkins.agents.ControllerToAgentFileCallable;

import java.io.File;
import java.io.PrintStream;

/**
 * The step's work, sent to the agent that owns the workspace. It holds only the request (plain
 * values: parameters, credential values, environment) and the build's listener; it never touches
 * {@code Jenkins.get()}, which does not exist on an agent.
 */
final class AgentCallable implements ControllerToAgentFileCallable<StepResult> {
    private static final long serialVersionUID = 1L;

    private final AgentRequest request;
    private final TaskListener listener;

    AgentCallable(AgentRequest request, TaskListener listener) {
        this.request = request;
        this.listener = listener;
    }

    @Override
    public StepResult invoke(File workspace, VirtualChannel channel) {
        PrintStream log = listener.getLogger();
        // the agent user's home: Docker's config and Trivy's default cache are the agent's, not the
        // controller's; the log is
        // flushed before the result goes back (AgentWork.run), so its lines come before the step's
        // verdict in the build log
        return AgentWork.run(request, workspace.toPath(), System.getProperty("user.home"), log);
    }
}
