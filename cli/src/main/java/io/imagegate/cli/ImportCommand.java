package io.imagegate.cli;

import io.imagegate.ImageGate;
import io.imagegate.copy.ImportRequest;
import io.imagegate.copy.ImportResult;
import io.imagegate.copy.ProgressLog;
import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.CredentialProvider;
import io.imagegate.registry.EnvironmentCredentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Copy an image (single, multi-arch index, or OCI artifact) into a registry, without a Docker daemon.",
                "Progress goes to stderr, a one-line summary to stdout."})
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "Image to copy, e.g. docker.io/library/alpine:3.20")
    String source;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TARGET",
            description = "Where to put it, e.g. myregistry.example.com/base/alpine:3.20; or derive it with --map.")
    String target;

    @Option(names = "--map", paramLabel = "SRC_PREFIX=DST_PREFIX",
            description = "Derive TARGET with the mapping rules `imagegate rewrite` uses (repeatable, first match wins).")
    List<String> map = new ArrayList<>();

    @Option(names = "--platform", split = ",", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Keep only these platforms of a multi-arch image (a new index is written). Default: all, digest unchanged.")
    List<String> platforms = new ArrayList<>();

    @Option(names = "--force", description = "Overwrite a target tag that holds a different image.")
    boolean force;

    @Option(names = "--src-creds-env", paramLabel = "VAR|USER_VAR:PASS_VAR",
            description = "Environment variable holding user:password for the source registry (or two variable names).")
    String srcCredsEnv;

    @Option(names = "--dst-creds-env", paramLabel = "VAR|USER_VAR:PASS_VAR",
            description = "Environment variable holding user:password for the target registry (or two variable names).")
    String dstCredsEnv;

    @Option(names = "--parallel", paramLabel = "N", description = "Blobs copied at once (default: ${DEFAULT-VALUE}).")
    int parallel = ImportRequest.DEFAULT_PARALLELISM;

    @Option(names = "--chunk-size", paramLabel = "MIB",
            description = "Upload blobs larger than MIB MiB in PATCH chunks of that size, for a registry behind a proxy that"
                    + " caps request bodies. Default: one PUT per blob.")
    Integer chunkSizeMib;

    @Mixin
    RegistryOptions registry;

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        ImageReference from = ImageReference.parse(source);
        ImageReference to = target != null ? ImageReference.parse(target) : ImageGate.importTarget(from, map);
        List<Platform> selected = platforms.stream().map(Platform::parse).toList();

        CredentialProvider credentials = CredentialProvider.anonymous();
        if (dstCredsEnv != null) {
            credentials = credentials.orElse(EnvironmentCredentials.forRegistry(to.registry(), EnvironmentCredentials.read(dstCredsEnv, env)));
        }
        if (srcCredsEnv != null) {
            credentials = credentials.orElse(EnvironmentCredentials.forRegistry(from.registry(), EnvironmentCredentials.read(srcCredsEnv, env)));
        }
        credentials = credentials.orElse(RegistryOptions.dockerConfig(env));

        PrintWriter err = spec.commandLine().getErr();
        ProgressLog progress = new ProgressLog(line -> {
            err.println(line);
            err.flush();
        });
        if (parallel < 1) {
            throw new ParameterException(spec.commandLine(), "--parallel must be at least 1, not " + parallel);
        }
        ImportRequest request = ImportRequest.of(from, to).withPlatforms(selected).withForce(force).withParallelism(parallel);
        if (chunkSizeMib != null) {
            if (chunkSizeMib < 1) {
                throw new ParameterException(spec.commandLine(), "--chunk-size must be at least 1 (MiB), not " + chunkSizeMib);
            }
            long bytes = chunkSizeMib * 1024L * 1024L;
            request = request.withChunking(bytes, bytes);
        }
        ImageGate gate = new ImageGate(registry.transport(), credentials);
        ImportResult result = gate.importImage(request, progress);
        PrintWriter out = spec.commandLine().getOut();
        out.println(ProgressLog.summary(result));
        out.flush();
        return Main.OK;
    }
}
