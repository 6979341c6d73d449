package io.imagegate.jenkins;

import io.imagegate.api.UpdateSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code imagegateUpdate}: re-pin every reference under a trusted prefix, in Dockerfiles and in
 * Jib's configuration in {@code pom.xml}, to the newest vetted digest of its tag.
 */
public final class UpdateParameters extends JudgedParameters {
    private static final long serialVersionUID = 1L;

    private final ArrayList<String> files;
    private final ArrayList<String> trusted;
    private String policy;
    private boolean anyPolicy;
    private ArrayList<String> verifyKeys = new ArrayList<>();
    private boolean check;
    private String patch;
    private String summary;
    private boolean commit;
    private String branch;
    private String renovateDatasource;

    /**
     * @param files Dockerfiles, {@code pom.xml} files, glob patterns, or directories to search for
     *     both, relative to the workspace
     * @param trusted trusted registry prefixes: only references under one change
     */
    public UpdateParameters(List<String> files, List<String> trusted) {
        this.files = Values.list(files);
        this.trusted = Values.list(trusted);
    }

    @Override
    public StepKind kind() {
        return StepKind.UPDATE;
    }

    public List<String> getFiles() {
        return List.copyOf(files);
    }

    public List<String> getTrusted() {
        return List.copyOf(trusted);
    }

    public String getPolicy() {
        return policy;
    }

    /** Verdicts count only under this policy (by digest), within its {@code maxVerdictAge}. */
    public void setPolicy(String policy) {
        this.policy = Values.text(policy);
    }

    public boolean isAnyPolicy() {
        return anyPolicy;
    }

    /** Accept a PASS verdict made under any policy. */
    public void setAnyPolicy(boolean anyPolicy) {
        this.anyPolicy = anyPolicy;
    }

    public List<String> getVerifyKeys() {
        return List.copyOf(verifyKeys);
    }

    /**
     * Cosign public key files (PEM), relative to the workspace: a PASS counts only when signed by
     * one of them. Keys the policy lists in {@code verdictKeys} count too.
     */
    public void setVerifyKeys(List<String> verifyKeys) {
        this.verifyKeys = Values.list(verifyKeys);
    }

    public boolean isCheck() {
        return check;
    }

    /** Change nothing; fail (or mark unstable) when a pin is stale. */
    public void setCheck(boolean check) {
        this.check = check;
    }

    public String getPatch() {
        return patch;
    }

    /** Write the change as a patch {@code git apply} takes, instead of changing the files. */
    public void setPatch(String patch) {
        this.patch = Values.text(patch);
    }

    public String getSummary() {
        return summary;
    }

    /** Write the Markdown summary (also returned as {@code summary}) to this file. */
    public void setSummary(String summary) {
        this.summary = Values.text(summary);
    }

    public boolean isCommit() {
        return commit;
    }

    /** Commit the change with git (the workspace's repository). */
    public void setCommit(boolean commit) {
        this.commit = commit;
    }

    public String getBranch() {
        return branch;
    }

    /**
     * With {@code commit}: commit on this branch, made from HEAD, while the branch checked out
     * stays checked out (a rerun with a newer result replaces its one commit); unset: on the branch
     * checked out.
     */
    public void setBranch(String branch) {
        this.branch = Values.text(branch);
    }

    public String getRenovateDatasource() {
        return renovateDatasource;
    }

    /**
     * Write the vetted releases as a Renovate custom datasource (JSON) to this file; {@code
     * {repository}} in it gives one file per repository.
     */
    public void setRenovateDatasource(String renovateDatasource) {
        this.renovateDatasource = Values.text(renovateDatasource);
    }

    /**
     * Its images are in Dockerfiles and POMs, not parameters: {@code registryCredentials} serve
     * their registries.
     */
    @Override
    void roles(List<Role> roles) {}

    @Override
    UpdateSpec spec(CredentialValues credentials, Bindings bindings) {
        return UpdateSpec.builder()
                .paths(files)
                .trusted(trusted)
                .policy(policy)
                .anyPolicy(anyPolicy)
                .verifyKeys(verifyKeys)
                .check(check)
                .patch(patch)
                .summary(summary)
                .commit(commit)
                .branch(branch)
                .renovateDatasource(renovateDatasource)
                .build();
    }
}
