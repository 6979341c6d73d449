package io.imagegate.cli;

import io.imagegate.api.ImportResult;
import io.imagegate.api.ImportSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Copy an image (single, multi-arch index, or OCI artifact) into a registry, without a Docker daemon.",
            "Progress goes to stderr, a one-line summary to stdout. Exit codes: 0 imported or up to date, 2 error."
        })
final class ImportCommand extends OperationCommand {

    @Parameters(
            index = "0",
            paramLabel = "SOURCE",
            description = "Image to copy, e.g. docker.io/library/alpine:3.20")
    String source;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "TARGET",
            description =
                    "Where to put it, e.g. myregistry.example.com/base/alpine:3.20; or derive it with --map.")
    String target;

    @Option(
            names = "--map",
            paramLabel = "SRC_PREFIX=DST_PREFIX",
            description =
                    "Derive TARGET with the mapping rules `imagegate rewrite` uses (repeatable, first match wins).")
    List<String> map = new ArrayList<>();

    @Option(
            names = "--platform",
            paramLabel = "OS/ARCH[/VARIANT]",
            description =
                    "Keep only these platforms of a multi-arch image, comma-separated (a new index is written). Default: all.")
    List<String> platforms = new ArrayList<>();

    @Option(
            names = "--force",
            preprocessor = Switch.class,
            description = "Overwrite a target tag that holds a different image.")
    boolean force;

    @Option(
            names = "--src-creds-env",
            paramLabel = "[REGISTRY=]VAR|[REGISTRY=]USER_VAR:PASS_VAR",
            description =
                    "Environment variable holding user:password for the source registry (or two variable names); with"
                            + " REGISTRY= only for that registry (an image elsewhere gets none).")
    String srcCredsEnv;

    @Option(
            names = "--dst-creds-env",
            paramLabel = "[REGISTRY=]VAR|[REGISTRY=]USER_VAR:PASS_VAR",
            description =
                    "Environment variable holding user:password for the target registry (or two variable names); with"
                            + " REGISTRY= only for that registry (an image elsewhere gets none).")
    String dstCredsEnv;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            description = "Blobs copied at once (default: ${DEFAULT-VALUE}).")
    int parallel = 6;

    @Option(
            names = "--chunk-size",
            paramLabel = "MIB",
            description =
                    "Upload blobs larger than MIB MiB (or 512k, 1g) in PATCH chunks of that size, for a registry behind a"
                            + " proxy that caps request bodies. Default: one PUT per blob.")
    String chunkSize;

    @Option(
            names = "--referrers",
            paramLabel = "none|signatures|all",
            description =
                    "Which of the source's referrers travel with the image: all (signatures, attestations, SBOMs; the default),"
                            + " signatures (cosign's only) or none. imagegate verdicts never travel.")
    String referrers;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "Longest time for the whole import: seconds, or 30m, 2h (default: 1h).")
    String timeout;

    @Override
    public Integer call() {
        // the target as the mapping rules derive it, to bind its credentials to its registry
        RoleCredentials roles =
                new RoleCredentials(
                        source,
                        srcCredsEnv,
                        () ->
                                ImportSpec.builder()
                                        .source(source)
                                        .target(target)
                                        .map(map)
                                        .build()
                                        .targetReference(),
                        dstCredsEnv,
                        registry.credentialRegistries(),
                        spec.commandLine().getErr());
        ImportSpec importSpec =
                ImportSpec.builder()
                        .source(source)
                        .target(target)
                        .map(map)
                        .platforms(platforms)
                        .force(force)
                        .parallelism(parallel)
                        .chunkSize(chunkSize)
                        .timeout(timeout)
                        .referrers(referrers)
                        .sourceCredentials(roles.source())
                        .targetCredentials(roles.target())
                        .build();
        ImportResult outcome = api().importImage(importSpec, progress());
        if (outcome.passed()) {
            text().println(outcome.summary());
        }
        return finish(outcome);
    }
}
