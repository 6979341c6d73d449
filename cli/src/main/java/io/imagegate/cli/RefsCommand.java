package io.imagegate.cli;

import io.imagegate.ImageGate;
import io.imagegate.dockerfile.ImageRef;
import io.imagegate.dockerfile.ReferenceReports;
import io.imagegate.oci.Platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "refs", mixinStandardHelpOptions = true,
        description = {"List every image the Dockerfiles use: FROM, COPY --from, RUN --mount from=, and # syntax.",
                "Exit codes: 0 all resolved, 1 a reference is unresolved or invalid, 2 error."})
final class RefsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Dockerfiles.")
    List<Path> files;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Option(names = "--build-arg", paramLabel = "K=V", description = "A build arg; only declared ARGs take it.")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Target platform(s) for the automatic platform args.")
    List<String> platforms = new ArrayList<>();

    @Option(names = "--verify", description = "Ask the registries whether each tag written beside a digest still holds that digest.")
    boolean verify;

    @picocli.CommandLine.Mixin
    RegistryOptions registry;

    @Override
    public Integer call() throws Exception {
        Map<String, String> args = BuildArgs.parse(buildArgs);
        List<ImageRef> refs = ImageGate.references(files, args, platforms.stream().map(Platform::parse).toList());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(ReferenceReports.json(refs));
        } else {
            ReferenceReports.text(refs).forEach(out::println);
        }
        out.flush();
        List<String> stale = verify ? new ImageGate(registry.transport(), RegistryOptions.dockerConfig(System.getenv())).staleTags(refs) : List.of();
        PrintWriter err = spec.commandLine().getErr();
        stale.forEach(err::println);
        err.flush();
        return refs.stream().allMatch(ImageRef::resolved) && stale.isEmpty() ? Main.OK : Main.FAILED;
    }
}
