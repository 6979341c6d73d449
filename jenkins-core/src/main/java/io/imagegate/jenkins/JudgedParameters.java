package io.imagegate.jenkins;

/**
 * Parameters of the steps whose outcome can be a policy failure (scan, vet, gate) or needed changes
 * (rewrite in check mode).
 */
public abstract class JudgedParameters extends StepParameters {
    private static final long serialVersionUID = 1L;

    private boolean unstable;

    public boolean isUnstable() {
        return unstable;
    }

    /**
     * Mark the build (and the stage) UNSTABLE instead of failing it when the policy says no. Errors
     * always fail it.
     */
    public void setUnstable(boolean unstable) {
        this.unstable = unstable;
    }
}
