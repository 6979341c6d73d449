package io.imagegate.api;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Operation;
import java.util.List;

/**
 * Re-pin every reference under a trusted prefix, in Dockerfiles and in POMs' Jib configuration, to
 * the newest vetted digest of its tag.
 *
 * @param paths Dockerfiles, POMs, glob patterns, or directories to search for them
 * @param trusted trusted registry prefixes: only references under one are updated
 * @param policy the policy whose verdicts count (by digest) and whose {@code maxVerdictAge}
 *     applies; null for the default policy
 * @param anyPolicy accept a PASS verdict made under any policy
 * @param verifyKeys public key files a PASS must be signed by (with the policy's {@code
 *     verdictKeys}); none: unsigned verdicts count
 * @param check change nothing: report what would change
 * @param patch write the change as a patch to this file instead of changing the files; null for
 *     none
 * @param summary write a Markdown summary to this file; null for none
 * @param commit commit the change with git
 * @param branch with {@code commit}: commit on this branch (empty: the name derived from the images
 *     and digests), leaving the checkout as it is; null to commit on the branch checked out
 * @param renovateDatasource write the vetted releases as a Renovate custom datasource to this file
 *     ({@code {repository}} in it is replaced per repository); null for none
 */
public record UpdateSpec(
        List<String> paths,
        List<String> trusted,
        String policy,
        boolean anyPolicy,
        List<String> verifyKeys,
        boolean check,
        String patch,
        String summary,
        boolean commit,
        String branch,
        String renovateDatasource)
        implements Spec {
    public UpdateSpec {
        paths = Specs.copy(paths);
        trusted = Specs.copy(trusted);
        verifyKeys = Specs.copy(verifyKeys);
    }

    @Override
    public Operation operation() {
        return Operation.UPDATE;
    }

    @Override
    public void validate() {
        Specs.nonEmpty(Field.DOCKERFILES, paths);
        Specs.nonEmpty(Field.TRUSTED, trusted);
        Inputs.list(Field.TRUSTED, trusted);
        for (String key : verifyKeys) {
            if (key.isBlank()) {
                throw ImageGateException.usage(
                        Field.VERIFY_KEY,
                        "update.verify-key-empty",
                        "a verification key ({0}) is empty; name a public key file",
                        Field.VERIFY_KEY);
            }
        }
        blankFile(Field.PATCH, patch);
        blankFile(Field.SUMMARY, summary);
        blankFile(Field.RENOVATE_DATASOURCE, renovateDatasource);
        if (commit && check) {
            throw ImageGateException.usage(
                    Field.COMMIT,
                    "update.commit-check",
                    "{0} and {1} exclude each other: a check changes nothing to commit",
                    Field.COMMIT,
                    Field.CHECK);
        }
        if (branch != null && !commit) {
            throw ImageGateException.usage(
                    Field.BRANCH,
                    "update.branch-without-commit",
                    "a branch ({0}) needs {1}",
                    Field.BRANCH,
                    Field.COMMIT);
        }
        if (commit && branch == null && patch != null) {
            throw ImageGateException.usage(
                    Field.COMMIT,
                    "update.commit-patch",
                    "with {0} the files are left as they are, so {1} needs a branch of its own"
                            + " ({2})",
                    Field.PATCH,
                    Field.COMMIT,
                    Field.BRANCH);
        }
    }

    private static void blankFile(Field field, String value) {
        if (value != null && value.isBlank()) {
            throw ImageGateException.usage(field, "update.file-empty", "{0} names no file", field);
        }
    }

    /** Whether the files are changed in place: neither a check nor a patch. */
    public boolean writesFiles() {
        return !check && patch == null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link UpdateSpec}. */
    public static final class Builder {
        private final java.util.List<String> paths = new java.util.ArrayList<>();
        private final java.util.List<String> trusted = new java.util.ArrayList<>();
        private String policy;
        private boolean anyPolicy;
        private final java.util.List<String> verifyKeys = new java.util.ArrayList<>();
        private boolean check;
        private String patch;
        private String summary;
        private boolean commit;
        private String branch;
        private String renovateDatasource;

        public Builder paths(List<String> values) {
            paths.addAll(Specs.copy(values));
            return this;
        }

        public Builder trusted(List<String> values) {
            trusted.addAll(Specs.copy(values));
            return this;
        }

        public Builder policy(String value) {
            policy = value;
            return this;
        }

        public Builder anyPolicy(boolean value) {
            anyPolicy = value;
            return this;
        }

        public Builder verifyKeys(List<String> values) {
            verifyKeys.addAll(Specs.copy(values));
            return this;
        }

        public Builder check(boolean value) {
            check = value;
            return this;
        }

        public Builder patch(String value) {
            patch = value;
            return this;
        }

        public Builder summary(String value) {
            summary = value;
            return this;
        }

        public Builder commit(boolean value) {
            commit = value;
            return this;
        }

        public Builder branch(String value) {
            branch = value;
            return this;
        }

        public Builder renovateDatasource(String value) {
            renovateDatasource = value;
            return this;
        }

        public UpdateSpec build() {
            return new UpdateSpec(
                    paths,
                    trusted,
                    policy,
                    anyPolicy,
                    verifyKeys,
                    check,
                    patch,
                    summary,
                    commit,
                    branch,
                    renovateDatasource);
        }
    }
}
