package io.imagegate.jenkins;

import io.imagegate.api.RewriteSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code imagegateRewrite}: point Dockerfile references at the private registry, optionally pinned
 * by digest.
 */
public final class RewriteParameters extends JudgedParameters {
    private static final long serialVersionUID = 1L;

    private final ArrayList<String> files;
    private final ArrayList<String> map;
    private boolean pin;
    private String pinPlatform;
    private boolean check;
    private ArrayList<String> buildArgs = new ArrayList<>();

    /**
     * @param files Dockerfiles, or glob patterns, relative to the workspace
     * @param map mapping rules {@code SRC_PREFIX=DST_PREFIX} (first match wins)
     */
    public RewriteParameters(List<String> files, List<String> map) {
        this.files = Values.list(files);
        this.map = Values.list(map);
    }

    @Override
    public StepKind kind() {
        return StepKind.REWRITE;
    }

    public List<String> getFiles() {
        return List.copyOf(files);
    }

    public List<String> getMap() {
        return List.copyOf(map);
    }

    public boolean isPin() {
        return pin;
    }

    /** Pin each reference to the digest its tag holds in the private registry. */
    public void setPin(boolean pin) {
        this.pin = pin;
    }

    public String getPinPlatform() {
        return pinPlatform;
    }

    /** With {@code pin}: pin this platform's manifest instead of the multi-arch index. */
    public void setPinPlatform(String pinPlatform) {
        this.pinPlatform = Values.text(pinPlatform);
    }

    public boolean isCheck() {
        return check;
    }

    /** Change nothing; fail (or mark unstable) when anything would change. */
    public void setCheck(boolean check) {
        this.check = check;
    }

    public List<String> getBuildArgs() {
        return List.copyOf(buildArgs);
    }

    /**
     * {@code KEY=VALUE} build args for templated {@code FROM} lines ({@code FROM
     * maven:3.9-${JAVA_VERSION}}); only declared ARGs take them, as for the gate.
     */
    public void setBuildArgs(List<String> buildArgs) {
        this.buildArgs = Values.list(buildArgs);
    }

    /**
     * Its images are in Dockerfiles, not parameters: {@code registryCredentials} serve their
     * registries.
     */
    @Override
    void roles(List<Role> roles) {}

    @Override
    RewriteSpec spec(CredentialValues credentials, Bindings bindings) {
        return new RewriteSpec(files, map, pin, pinPlatform, check, buildArgs);
    }
}
