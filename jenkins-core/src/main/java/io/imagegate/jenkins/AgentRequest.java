package io.imagegate.jenkins;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The work a step sends to the agent that owns the workspace: its parameters, the values of the
 * credentials it names (looked up on the controller), the build's environment variables, and the
 * directory for temporary files. Only this module's classes and plain JDK values, so Jenkins' class
 * filter lets it cross.
 */
public final class AgentRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    private final StepParameters parameters;
    private final CredentialValues credentials;
    private final TreeMap<String, String> variables;
    private final String tempDirectory;

    /**
     * @param parameters the step's parameters
     * @param credentials the credentials they name, by id
     * @param variables the build's environment on that agent ({@code PATH}, {@code DOCKER_CONFIG},
     *     {@code TRIVY_PATH}…)
     * @param tempDirectory where temporary files go on the agent (Jenkins' {@code
     *     <workspace>@tmp}); null for the JVM's
     */
    public AgentRequest(
            StepParameters parameters,
            CredentialValues credentials,
            Map<String, String> variables,
            String tempDirectory) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.credentials = credentials == null ? CredentialValues.none() : credentials;
        this.variables = new TreeMap<>(variables == null ? Map.of() : variables);
        this.tempDirectory = tempDirectory;
    }

    public StepParameters parameters() {
        return parameters;
    }

    public CredentialValues credentials() {
        return credentials;
    }

    public Map<String, String> variables() {
        return java.util.Collections.unmodifiableMap(variables);
    }

    public String tempDirectory() {
        return tempDirectory;
    }

    /** Variables and credentials are not shown: they may hold secrets. */
    @Override
    public String toString() {
        return "AgentRequest["
                + parameters.kind().functionName()
                + ", "
                + variables.size()
                + " variables, "
                + credentials
                + "]";
    }
}
