package io.imagegate.cli;

import io.imagegate.api.RefsResult;
import io.imagegate.api.RefsSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "refs",
        mixinStandardHelpOptions = true,
        description = {
            "List every image the Dockerfiles use: FROM, COPY --from, RUN --mount from=, and # syntax.",
            "Exit codes: 0 all resolved, 1 a reference is unresolved or invalid (or a tag moved, with --verify), 2 error."
        })
final class RefsCommand extends OperationCommand {

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

    @Override
    public Integer call() {
        RefsResult outcome =
                api().refs(
                                new RefsSpec(files, buildArgs, platforms, verify),
                                CliVocabulary.INSTANCE);
        PrintWriter out = text();
        outcome.lines().forEach(out::println);
        PrintWriter err = spec.commandLine().getErr();
        outcome.stale().forEach(m -> err.println(m.render(CliVocabulary.INSTANCE)));
        err.flush();
        return finish(outcome);
    }
}
