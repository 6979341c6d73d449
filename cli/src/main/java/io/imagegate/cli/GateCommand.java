package io.imagegate.cli;

import io.imagegate.api.GateResult;
import io.imagegate.api.GateSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "gate",
        mixinStandardHelpOptions = true,
        description = {
            "Fail when a Dockerfile uses an image outside the trusted registry prefixes, unpinned, or not vetted.",
            "Exit codes: 0 clean (or violations with --warn-only), 1 violations, 2 error (including: no image"
                    + " reference found at all)."
        })
final class GateCommand extends OperationCommand {

    @Parameters(
            paramLabel = "FILE|GLOB",
            arity = "1..*",
            description = "Dockerfiles, or glob patterns such as '**/Dockerfile'.")
    List<String> files;

    @Option(
            names = "--build-arg",
            paramLabel = "K=V",
            description = "A build arg; only declared ARGs take it.")
    List<String> buildArgs = new ArrayList<>();

    @Option(
            names = "--trusted",
            required = true,
            paramLabel = "PREFIX",
            description = "Trusted registry prefix (repeatable).")
    List<String> trusted;

    @Option(
            names = "--require-digest",
            preprocessor = Switch.class,
            description = "Every reference must be pinned by digest.")
    boolean requireDigest;

    @Option(
            names = "--require-vetted",
            preprocessor = Switch.class,
            description =
                    "Every reference must have a PASS verdict recorded beside it in its registry.")
    boolean requireVetted;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description =
                    "With --require-vetted: verdicts count only under this policy (by digest), within its maxVerdictAge.")
    Path policy;

    @Option(
            names = "--any-policy",
            preprocessor = Switch.class,
            description = "With --require-vetted: accept a PASS verdict made under any policy.")
    boolean anyPolicy;

    @Option(
            names = "--verify-key",
            paramLabel = "FILE",
            description =
                    "A cosign public key (PEM) verdicts must be signed by"
                            + " (repeatable, for rotation): a PASS counts only when its signed attestation verifies with one and names this digest,"
                            + " this policy and a PASS. Keys listed in the policy's verdictKeys count too.")
    List<Path> verifyKeys = new ArrayList<>();

    @Option(
            names = "--map",
            paramLabel = "SRC_PREFIX=DST_PREFIX",
            description =
                    "The mapping rules vet and rewrite use (repeatable, first match wins): the printed fixes follow them;"
                            + " default: =<first --trusted prefix>.")
    List<String> map = new ArrayList<>();

    @Option(
            names = "--quarantine",
            paramLabel = "PREFIX",
            description =
                    "The quarantine prefix vet uses, which the printed fixes name (default: quarantine).")
    String quarantine;

    @Option(
            names = "--platform",
            paramLabel = "OS/ARCH[/VARIANT]",
            description = "Target platform(s) for the automatic platform args.")
    List<String> platforms = new ArrayList<>();

    @Option(
            names = "--warn-only",
            preprocessor = Switch.class,
            description =
                    "Report only: print the violations as ever, but exit 0 (errors still exit 2);"
                            + " --json keeps the outcome and says warnOnly.")
    boolean warnOnly;

    @Option(
            names = "--sarif",
            paramLabel = "FILE",
            description =
                    "Also write the violations as a SARIF 2.1.0 log (one error per violation, at its file and line,"
                            + " relative to the current directory) for code-scanning views; an empty log when the gate passes.")
    Path sarif;

    @Override
    public Integer call() {
        GateSpec gateSpec =
                GateSpec.builder()
                        .files(files)
                        .buildArgs(buildArgs)
                        .platforms(platforms)
                        .trusted(trusted)
                        .requireDigest(requireDigest)
                        .requireVetted(requireVetted)
                        .policy(policy == null ? null : policy.toString())
                        .anyPolicy(anyPolicy)
                        .verifyKeys(verifyKeys.stream().map(Path::toString).toList())
                        .map(map)
                        .quarantine(quarantine)
                        .build();
        GateResult outcome = api().gate(gateSpec);
        PrintWriter out = text();
        if (outcome.error().isEmpty()) {
            outcome.violations().forEach(v -> out.println(v.describe(CliVocabulary.INSTANCE)));
            out.println(outcome.summary());
            if (sarif != null) {
                Path base = Path.of(RegistryOptions.environment().workingDirectory());
                outcome.writeSarif(base.resolve(sarif), base, CliVocabulary.INSTANCE);
            }
            if (warnOnly && !outcome.violations().isEmpty()) {
                out.println("--warn-only: the violations do not fail the run");
            }
        }
        return warnOnly ? finishWarnOnly(outcome) : finish(outcome);
    }
}
