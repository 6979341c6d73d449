package io.imagegate.cli;

import io.imagegate.ImageGate;
import io.imagegate.dockerfile.ImageRef;
import io.imagegate.gate.Gate;
import io.imagegate.gate.VettingCheck;
import io.imagegate.gate.Violation;
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
import java.util.concurrent.Callable;

@Command(name = "gate", mixinStandardHelpOptions = true,
        description = {"Fail when a Dockerfile uses an image outside the trusted registry prefixes (or unpinned).",
                "Exit codes: 0 clean, 1 violations, 2 error."})
final class GateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE|GLOB", arity = "1..*", description = "Dockerfiles, or glob patterns such as '**/Dockerfile'.")
    List<String> files;

    @Option(names = "--build-arg", paramLabel = "K=V", description = "A build arg; only declared ARGs take it.")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--trusted", required = true, paramLabel = "PREFIX", description = "Trusted registry prefix (repeatable).")
    List<String> trusted;

    @Option(names = "--require-digest", description = "Every reference must be pinned by digest.")
    boolean requireDigest;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Target platform(s) for the automatic platform args.")
    List<String> platforms = new ArrayList<>();

    @Override
    public Integer call() {
        List<ImageRef> refs = ImageGate.references(ImageGate.dockerfiles(Path.of(""), files), BuildArgs.parse(buildArgs),
                platforms.stream().map(Platform::parse).toList());
        List<Violation> violations = new Gate(trusted, requireDigest, VettingCheck.none()).check(refs);
        PrintWriter out = spec.commandLine().getOut();
        violations.forEach(v -> out.println(v.describe()));
        out.println(violations.isEmpty() ? refs.size() + " image reference(s) checked, all trusted"
                : violations.size() + " violation(s) in " + refs.size() + " image reference(s)");
        out.flush();
        return violations.isEmpty() ? Main.OK : Main.FAILED;
    }
}
