package io.imagegate.cli;

import io.imagegate.api.StoredVerdict;
import io.imagegate.api.VerdictSpec;
import io.imagegate.api.VerdictsResult;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "verdict",
        mixinStandardHelpOptions = true,
        description = {
            "Print the verdicts recorded in the registry for an image, newest first.",
            "Exit codes: 0 a PASS stands (no FAIL left that a later PASS did not supersede), 1 otherwise or there is none, 2 error."
        })
final class VerdictCommand extends OperationCommand {

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image, by tag or digest.")
    String image;

    @Option(
            names = "--verify-key",
            paramLabel = "FILE",
            description =
                    "A cosign public key (PEM) verdicts must be signed by"
                            + " (repeatable): judge as gate --require-vetted --verify-key would.")
    java.util.List<java.nio.file.Path> verifyKeys = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        VerdictsResult outcome =
                api().verdicts(
                                new VerdictSpec(
                                        image,
                                        verifyKeys.stream()
                                                .map(java.nio.file.Path::toString)
                                                .toList()));
        PrintWriter out = text();
        if (outcome.error().isEmpty()) {
            if (outcome.verdicts().isEmpty()) {
                out.println(
                        "no verdict recorded for "
                                + image
                                + (outcome.digest().isEmpty()
                                        ? ""
                                        : " (" + outcome.digest() + ")"));
            }
            for (StoredVerdict v : outcome.verdicts()) {
                out.println(
                        v.verdict()
                                + " "
                                + v.subject()
                                + " "
                                + v.created()
                                + " policy "
                                + v.policyDigest()
                                + " ("
                                + v.artifact()
                                + "), "
                                + io.imagegate.message.Message.neutralize(v.signature()));
            }
            outcome.judgement()
                    .ifPresent(
                            j ->
                                    out.println(
                                            (outcome.outcome() == io.imagegate.api.Outcome.PASSED
                                                            ? "vetted: "
                                                            : "not vetted: ")
                                                    + j.render(CliVocabulary.INSTANCE)));
        }
        return finish(outcome);
    }
}
