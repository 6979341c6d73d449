package io.imagegate.cli;

import io.imagegate.api.VetResult;
import io.imagegate.api.VetSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "vet",
        mixinStandardHelpOptions = true,
        description = {
            "Import an image into quarantine, scan every platform, and promote it under the trusted name only if it passes;"
                    + " the verdict is recorded in the registry beside the image.",
            "Exit codes: 0 PASS (promoted, or already vetted), 1 FAIL by policy (nothing promoted), 2 error."
        })
final class VetCommand extends OperationCommand {

    @Parameters(
            index = "0",
            paramLabel = "SOURCE",
            description = "Image to vet, e.g. docker.io/library/alpine:3.20")
    String source;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "TARGET",
            description = "The trusted name; or derive it with --map.")
    String target;

    @Option(
            names = "--map",
            paramLabel = "SRC_PREFIX=DST_PREFIX",
            description = "Derive TARGET with mapping rules (repeatable).")
    List<String> map = new ArrayList<>();

    @Option(
            names = "--quarantine",
            paramLabel = "PREFIX",
            description =
                    "Quarantine repository prefix in the target registry (default: quarantine).")
    String quarantine;

    @Option(
            names = "--platform",
            paramLabel = "OS/ARCH[/VARIANT]",
            description = "Keep only these platforms, comma-separated.")
    List<String> platforms = new ArrayList<>();

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = "Policy file (YAML or JSON). Default: fail on HIGH and CRITICAL.")
    Path policy;

    @Option(
            names = "--force",
            preprocessor = Switch.class,
            description =
                    "Vet again even if a fresh PASS verdict exists; overwrite a trusted tag holding another image.")
    boolean force;

    @Option(
            names = "--referrers",
            paramLabel = "none|signatures|all",
            description =
                    "Which of the source's referrers go to quarantine and are promoted with the image: all (signatures, attestations, SBOMs; the default),"
                            + " signatures (cosign's only) or none. imagegate verdicts never travel.")
    String referrers;

    @Option(
            names = "--report-dir",
            paramLabel = "DIR",
            description = "Write JSON, SARIF, JUnit XML and HTML reports here.")
    Path reportDir;

    @Option(
            names = "--signing-key",
            paramLabel = "FILE",
            description =
                    "Sign the verdict with this private key (cosign generate-key-pair's"
                            + " cosign.key, or unencrypted PKCS#8 PEM; ECDSA P-256). Its password is read from the environment variable"
                            + " IMAGEGATE_SIGNING_KEY_PASSWORD, else COSIGN_PASSWORD.")
    Path signingKey;

    @Option(
            names = "--src-creds-env",
            paramLabel = "[REGISTRY=]VAR|[REGISTRY=]USER_VAR:PASS_VAR",
            description =
                    "Credentials for the source registry; with REGISTRY= only for that registry (an image elsewhere gets none).")
    String srcCredsEnv;

    @Option(
            names = "--dst-creds-env",
            paramLabel = "[REGISTRY=]VAR|[REGISTRY=]USER_VAR:PASS_VAR",
            description =
                    "Credentials for the target registry; with REGISTRY= only for that registry (an image elsewhere gets none).")
    String dstCredsEnv;

    @Mixin TrivyOptionsMixin trivy;

    @Override
    public Integer call() {
        // the target as the mapping rules derive it, to bind its credentials to its registry
        RoleCredentials roles =
                new RoleCredentials(
                        source,
                        srcCredsEnv,
                        () ->
                                VetSpec.builder()
                                        .source(source)
                                        .target(target)
                                        .map(map)
                                        .build()
                                        .targetReference(),
                        dstCredsEnv,
                        registry.credentialRegistries(),
                        spec.commandLine().getErr());
        VetSpec vetSpec =
                VetSpec.builder()
                        .source(source)
                        .target(target)
                        .map(map)
                        .quarantine(quarantine)
                        .platforms(platforms)
                        .policy(policy == null ? null : policy.toString())
                        .force(force)
                        .referrers(referrers)
                        .reportDir(reportDir == null ? null : reportDir.toString())
                        .trivy(trivy.settings())
                        .signingKey(signingKey == null ? null : signingKey.toString())
                        .sourceCredentials(roles.source())
                        .targetCredentials(roles.target())
                        .build();
        VetResult outcome = api().vet(vetSpec, progress());
        PrintWriter out = text();
        outcome.lines().forEach(out::println);
        outcome.reports().forEach(p -> spec.commandLine().getErr().println("report: " + p));
        return finish(outcome);
    }
}
