package io.imagegate.cli;

import io.imagegate.api.Outcome;
import io.imagegate.api.SyncResult;
import io.imagegate.api.SyncSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        description = {
            "Vet again every image of a sync file whose upstream digest moved; unchanged images cost two manifest requests and a verdict lookup.",
            "Exit codes: 0 all pass, 1 an image failed its policy, 2 an image could not be vetted."
        })
final class SyncCommand extends OperationCommand {

    @Parameters(index = "0", paramLabel = "FILE", description = "The sync file (YAML).")
    Path file;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = "Policy for images without one of their own.")
    Path policy;

    @Option(
            names = "--quarantine",
            paramLabel = "PREFIX",
            description = "Quarantine prefix for images without one of their own.")
    String quarantine;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            description = "Images processed at once (default: ${DEFAULT-VALUE}).")
    int parallel = SyncSpec.DEFAULT_PARALLELISM;

    @Option(
            names = "--report-dir",
            paramLabel = "DIR",
            description =
                    "Write the reports of each image vetted (those scan --report-dir"
                            + " writes) to a directory of DIR named after its target, e.g. registry.example.com_base_alpine_3.20.")
    Path reportDir;

    @Option(
            names = "--signing-key",
            paramLabel = "FILE",
            description =
                    "Sign every verdict recorded with this private key (cosign generate-key-pair's"
                            + " cosign.key, or unencrypted PKCS#8 PEM; ECDSA P-256). Its password is read from the environment variable"
                            + " IMAGEGATE_SIGNING_KEY_PASSWORD, else COSIGN_PASSWORD.")
    Path signingKey;

    @Mixin TrivyOptionsMixin trivy;

    @Override
    public Integer call() {
        SyncResult outcome =
                api().sync(
                                new SyncSpec(
                                        file.toString(),
                                        policy == null ? null : policy.toString(),
                                        quarantine,
                                        parallel,
                                        reportDir == null ? null : reportDir.toString(),
                                        trivy.settings(),
                                        signingKey == null ? null : signingKey.toString()),
                                progress());
        PrintWriter out = text();
        for (SyncResult.Entry e : outcome.entries()) {
            String what =
                    e.outcome() == Outcome.ERROR
                            ? "ERROR"
                            : e.outcome() == Outcome.POLICY_FAILED ? "FAIL" : "PASS";
            String change =
                    e.digest().isEmpty()
                            ? "not compared"
                            : !e.changed()
                                    ? (e.vetted() ? "unchanged, vetted again " : "unchanged ")
                                            + e.digest()
                                    : (e.previousDigest().isEmpty()
                                                    ? "new "
                                                    : e.previousDigest() + " -> ")
                                            + e.digest();
            out.println(
                    what
                            + " "
                            + e.source()
                            + " -> "
                            + e.target()
                            + ": "
                            + change
                            + (e.fixed().isEmpty()
                                    ? ""
                                    : "; fixed: " + String.join(", ", e.fixed()))
                            + (e.introduced().isEmpty()
                                    ? ""
                                    : "; introduced: " + String.join(", ", e.introduced()))
                            + e.error()
                                    .map(x -> "; " + x.render(CliVocabulary.INSTANCE))
                                    .orElse(""));
        }
        long failed = outcome.entries().stream().filter(e -> e.outcome() != Outcome.PASSED).count();
        out.println(
                outcome.entries().size()
                        + " image(s), "
                        + outcome.entries().stream().filter(SyncResult.Entry::vetted).count()
                        + " vetted, "
                        + failed
                        + " failed");
        return finish(outcome);
    }
}
