package io.imagegate.cli;

import io.imagegate.api.SyncResult;
import io.imagegate.api.SyncSpec;
import io.imagegate.message.ImageGateException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        description = {
            "Vet again every image of a sync file whose upstream digest moved, and scan unchanged ones again in place once their verdict is older than --rescan-older-than; an unchanged image with a young verdict costs three requests.",
            "Exit codes: 0 all pass, 1 an image failed its policy (newly failing ones included), 2 an image could not be vetted."
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

    @Option(
            names = "--shard",
            paramLabel = "INDEX/COUNT",
            description =
                    "Process only part INDEX of COUNT (0-based) of the file: the images whose target"
                            + " repository hashes to INDEX, so shards never share a repository. INDEX may be 'auto': the"
                            + " environment variable JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) gives it.")
    String shard;

    @Option(
            names = "--summary-json",
            paramLabel = "FILE",
            description =
                    "Also write the run's JSON document (as --json prints it) to FILE, atomically, for"
                            + " sync-report to merge; written whatever the outcome.")
    Path summaryJson;

    @Option(
            names = "--rescan-older-than",
            paramLabel = "DURATION",
            description =
                    "Scan an unchanged image again, in place, when its newest verdict is older than"
                            + " DURATION (24h, 7d; 0s: every image); overrides the sync file's rescanAfter.")
    String rescanOlderThan;

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
                                                signingKey == null ? null : signingKey.toString())
                                        .with(shard, rescanOlderThan),
                                progress());
        SyncText.print(text(), outcome);
        int code = finish(outcome);
        if (summaryJson != null) {
            try {
                SyncText.writeSummary(summaryJson, Output.json("sync", outcome));
            } catch (ImageGateException e) {
                // without its summary this shard reads as missing to sync-report: say so, exit 2
                Output.error(spec.commandLine().getErr(), e);
                return ExitCodes.ERROR;
            }
        }
        return code;
    }
}
