package io.imagegate.cli;

import io.imagegate.api.RewriteResult;
import io.imagegate.api.RewriteSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "rewrite",
        mixinStandardHelpOptions = true,
        description = {
            "Rewrite Dockerfile image references to the private registry; only the reference text changes.",
            "Exit codes: 0 nothing (more) to change, 1 changes needed (--check), 2 error."
        })
final class RewriteCommand extends OperationCommand {

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Dockerfiles, or glob patterns.")
    List<String> files;

    @Option(
            names = "--map",
            required = true,
            paramLabel = "SRC_PREFIX=DST_PREFIX",
            description =
                    "Mapping rule (repeatable, first match wins); =DST_PREFIX maps everything to DST_PREFIX/<host>/<path>.")
    List<String> map;

    @Option(
            names = "--check",
            preprocessor = Switch.class,
            description =
                    "Change nothing; print the diff and exit 1 if anything would change or a reference needs an edit by hand.")
    boolean check;

    @Option(
            names = "--build-arg",
            paramLabel = "K=V",
            description =
                    "A build arg (repeatable): the files are read with the ARG defaults and with these; a change must be right for both.")
    List<String> buildArgs = new ArrayList<>();

    @Option(
            names = "--pin",
            preprocessor = Switch.class,
            description = "Pin each reference to the digest its tag holds in the private registry.")
    boolean pin;

    @Option(
            names = "--pin-platform",
            paramLabel = "OS/ARCH[/VARIANT]",
            description =
                    "With --pin: pin to this platform's manifest instead of the multi-arch index.")
    String pinPlatform;

    @Override
    public Integer call() {
        RewriteResult outcome =
                api().rewrite(new RewriteSpec(files, map, pin, pinPlatform, check, buildArgs));
        PrintWriter out = text();
        PrintWriter err = spec.commandLine().getErr();
        for (RewriteResult.FileChange file : outcome.files()) {
            file.skipped().forEach(m -> err.println(m.render(CliVocabulary.INSTANCE)));
            file.diff().forEach(out::println);
        }
        err.flush();
        return finish(outcome);
    }
}
