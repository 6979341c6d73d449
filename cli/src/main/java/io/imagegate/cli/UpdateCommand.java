package io.imagegate.cli;

import io.imagegate.api.UpdateResult;
import io.imagegate.api.UpdateSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "update",
        mixinStandardHelpOptions = true,
        description = {
            "Re-pin every reference under a trusted prefix (Dockerfiles, Jib in pom.xml) to the newest"
                    + " vetted digest of its tag; a digest without a PASS verdict is never pinned.",
            "Exit codes: 0 nothing (more) to change, 1 changes needed (--check), 2 error."
        })
final class UpdateCommand extends OperationCommand {

    @Parameters(
            paramLabel = "PATH",
            arity = "1..*",
            description =
                    "Dockerfiles, pom.xml files, glob patterns, or directories to search for both.")
    List<String> paths;

    @Option(
            names = "--trusted",
            required = true,
            paramLabel = "PREFIX",
            description = "Trusted registry prefix (repeatable): only references under one change.")
    List<String> trusted;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description =
                    "Verdicts count only under this policy (by digest), within its maxVerdictAge.")
    Path policy;

    @Option(
            names = "--any-policy",
            preprocessor = Switch.class,
            description = "Accept a PASS verdict made under any policy.")
    boolean anyPolicy;

    @Option(
            names = "--verify-key",
            paramLabel = "FILE",
            description =
                    "A cosign public key (PEM) verdicts must be signed by (repeatable). Keys listed in"
                            + " the policy's verdictKeys count too.")
    List<Path> verifyKeys = new ArrayList<>();

    @Option(
            names = "--check",
            preprocessor = Switch.class,
            description = "Change nothing; print the diff and exit 1 if anything would change.")
    boolean check;

    @Option(
            names = "--patch",
            paramLabel = "FILE",
            description =
                    "Write the change as a patch git apply takes, instead of changing the files.")
    Path patch;

    @Option(
            names = "--summary",
            paramLabel = "FILE",
            description =
                    "Write a Markdown summary: per image old -> new digest, where, its verdict,"
                            + " findings fixed / introduced / still present.")
    Path summary;

    @Option(
            names = "--commit",
            preprocessor = Switch.class,
            description = "Commit the change (git, through JGit).")
    boolean commit;

    @Option(
            names = "--branch",
            paramLabel = "NAME",
            arity = "0..1",
            fallbackValue = "",
            description =
                    "With --commit: commit on this branch, made from HEAD, leaving the checkout as"
                            + " it is; without NAME imagegate/<image>-<short digest>.")
    String branch;

    @Option(
            names = "--renovate-datasource",
            paramLabel = "FILE",
            description =
                    "Write the vetted releases as a Renovate custom datasource (JSON);"
                            + " {repository} in FILE gives one file per repository.")
    String renovateDatasource;

    @Override
    public Integer call() {
        UpdateSpec updateSpec =
                UpdateSpec.builder()
                        .paths(paths)
                        .trusted(trusted)
                        .policy(policy == null ? null : policy.toString())
                        .anyPolicy(anyPolicy)
                        .verifyKeys(verifyKeys.stream().map(Path::toString).toList())
                        .check(check)
                        .patch(patch == null ? null : patch.toString())
                        .summary(summary == null ? null : summary.toString())
                        .commit(commit)
                        .branch(branch)
                        .renovateDatasource(renovateDatasource)
                        .build();
        UpdateResult outcome = api().update(updateSpec, CliVocabulary.INSTANCE);
        PrintWriter out = text();
        PrintWriter err = spec.commandLine().getErr();
        if (outcome.error().isEmpty()) {
            outcome.held().forEach(m -> err.println(m.render(CliVocabulary.INSTANCE)));
            for (UpdateResult.FileChange file : outcome.files()) {
                file.diff().forEach(out::println);
            }
            for (UpdateResult.Image image : outcome.images()) {
                if (image.changed()) {
                    out.println(
                            image.image()
                                    + ": "
                                    + (image.from().isEmpty()
                                            ? "(by tag)"
                                            : String.join(", ", image.from()))
                                    + " -> "
                                    + image.digest()
                                    + " (vetted "
                                    + image.vettedAt()
                                    + ", "
                                    + image.fixed().size()
                                    + " finding(s) fixed, "
                                    + image.introduced().size()
                                    + " introduced)");
                }
            }
            if (!outcome.changed()) {
                out.println(
                        "nothing to update: every trusted reference is pinned to the newest vetted"
                                + " digest of its tag");
            }
            if (!outcome.branch().isEmpty()) {
                out.println("committed " + outcome.commit() + " on " + outcome.branch());
            }
        }
        err.flush();
        return finish(outcome);
    }
}
