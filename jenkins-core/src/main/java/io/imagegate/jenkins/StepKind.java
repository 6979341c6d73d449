package io.imagegate.jenkins;

import io.imagegate.message.Operation;
import java.util.Optional;

/**
 * The pipeline steps, by the function name a Jenkinsfile calls them with. The plugin and the
 * library offer the same six.
 */
public enum StepKind {
    IMPORT(
            "imagegateImport",
            Operation.IMPORT,
            ImportParameters.class,
            "Import a container image into a registry"),
    SCAN(
            "imagegateScan",
            Operation.SCAN,
            ScanParameters.class,
            "Scan a container image with Trivy and judge it against a policy"),
    VET(
            "imagegateVet",
            Operation.VET,
            VetParameters.class,
            "Vet a container image: quarantine, scan, promote if it passes"),
    REWRITE(
            "imagegateRewrite",
            Operation.REWRITE,
            RewriteParameters.class,
            "Rewrite Dockerfiles to use the private registry"),
    GATE(
            "imagegateGate",
            Operation.GATE,
            GateParameters.class,
            "Fail the build when a Dockerfile uses an untrusted or unvetted image"),
    UPDATE(
            "imagegateUpdate",
            Operation.UPDATE,
            UpdateParameters.class,
            "Re-pin Dockerfiles and Jib to the newest vetted digests");

    private final String functionName;
    private final Operation operation;
    private final Class<? extends StepParameters> parametersType;
    private final String displayName;

    StepKind(
            String functionName,
            Operation operation,
            Class<? extends StepParameters> parametersType,
            String displayName) {
        this.functionName = functionName;
        this.operation = operation;
        this.parametersType = parametersType;
        this.displayName = displayName;
    }

    /** What a Jenkinsfile calls: {@code imagegateImport}. */
    public String functionName() {
        return functionName;
    }

    public Operation operation() {
        return operation;
    }

    /** The parameter model of this step. */
    public Class<? extends StepParameters> parametersType() {
        return parametersType;
    }

    /** The step's name in the snippet generator and the steps reference. */
    public String displayName() {
        return displayName;
    }

    /**
     * The step that carries out an operation, if there is one (sync, verdict and refs are
     * CLI-only).
     */
    public static Optional<StepKind> of(Operation operation) {
        for (StepKind kind : values()) {
            if (kind.operation == operation) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
