package io.imagegate.cli;

import io.imagegate.api.ImageGate;
import io.imagegate.api.RefsResult;
import io.imagegate.api.RefsSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "refs",
        mixinStandardHelpOptions = true,
        description = {
            "List every image the Dockerfiles use: FROM, COPY --from, RUN --mount from=, and # syntax.",
            "Exit codes: 0 all resolved, 1 a reference is unresolved or invalid (or a tag moved, with --verify), 2 error."
        })
final class RefsCommand implements Callable<Integer>, Reporting {
    private io.imagegate.api.OperationResult result;

    @Override
    public io.imagegate.api.OperationResult result() {
        return result;
    }

    @Spec CommandSpec spec;

    @Mixin JsonOption json;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Dockerfiles.")
    List<String> files;

    @Option(
            names = "--build-arg",
            paramLabel = "K=V",
            description = "A build arg; only declared ARGs take it.")
    List<String> buildArgs = new ArrayList<>();

    @Option(
            names = "--platform",
            paramLabel = "OS/ARCH[/VARIANT]",
            description = "Target platform(s) for the automatic platform args.")
    List<String> platforms = new ArrayList<>();

    @Option(
            names = "--verify",
            preprocessor = Switch.class,
            description =
                    "Ask the registries whether each tag written beside a digest still holds that digest.")
    boolean verify;

    @Mixin RegistryOptions registry;

    @Override
    public Integer call() {
        RefsResult outcome =
                ImageGate.create(registry.settings())
                        .refs(
                                new RefsSpec(files, buildArgs, platforms, verify),
                                CliVocabulary.INSTANCE);
        PrintWriter out = Output.text(spec.commandLine(), json);
        outcome.lines().forEach(out::println);
        PrintWriter err = spec.commandLine().getErr();
        outcome.stale().forEach(m -> err.println(m.render(CliVocabulary.INSTANCE)));
        err.flush();
        this.result = outcome;
        return Output.finish(spec.commandLine(), outcome, json);
    }
}
