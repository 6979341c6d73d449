package io.imagegate.cli;

import io.imagegate.ImageGate;
import io.imagegate.dockerfile.DockerfileRewriter;
import io.imagegate.mapping.ImageMapping;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "rewrite", mixinStandardHelpOptions = true,
        description = {"Rewrite Dockerfile image references to the private registry; only the reference text changes.",
                "Exit codes: 0 nothing (more) to change, 1 changes needed (--check), 2 error."})
final class RewriteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Dockerfiles.")
    List<Path> files;

    @Option(names = "--map", required = true, paramLabel = "SRC_PREFIX=DST_PREFIX",
            description = "Mapping rule (repeatable, first match wins); =DST_PREFIX maps everything to DST_PREFIX/<host>/<path>.")
    List<String> map;

    @Option(names = "--check", description = "Change nothing; print the diff and exit 1 if anything would change.")
    boolean check;

    @Option(names = "--pin", description = "Pin each reference to the digest its tag holds in the private registry.")
    boolean pin;

    @Option(names = "--pin-platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "With --pin: pin to this platform's manifest instead of the multi-arch index.")
    String pinPlatform;

    @Mixin
    RegistryOptions registry;

    @Override
    public Integer call() {
        ImageGate gate = new ImageGate(registry.transport(), RegistryOptions.dockerConfig(System.getenv()));
        List<DockerfileRewriter.Result> results = gate.rewrite(files, ImageMapping.parse(map), pin,
                java.util.Optional.ofNullable(pinPlatform).map(io.imagegate.oci.Platform::parse), check);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean changed = false;
        for (DockerfileRewriter.Result r : results) {
            r.changes().stream().filter(c -> c.skipped().isPresent())
                    .forEach(c -> err.println(c.ref().file() + ":" + c.ref().line() + ": not rewritten: " + c.skipped().get()));
            if (r.changed()) {
                changed = true;
                r.diff().forEach(out::println);
            }
        }
        out.flush();
        err.flush();
        return check && changed ? Main.FAILED : Main.OK;
    }
}
