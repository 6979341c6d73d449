package io.imagegate.cli;

import io.imagegate.api.ScanResult;
import io.imagegate.api.ScanSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "scan",
        mixinStandardHelpOptions = true,
        description = {
            "Scan an image with Trivy and judge the findings against a policy.",
            "Exit codes: 0 PASS, 1 FAIL by policy, 2 error (bad input, Trivy failure, timeout)."
        })
final class ScanCommand extends OperationCommand {

    @Parameters(
            index = "0",
            paramLabel = "IMAGE",
            description = "Image to scan, by tag or digest; every platform of a multi-arch image.")
    String image;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = "Policy file (YAML or JSON). Default: fail on HIGH and CRITICAL.")
    Path policy;

    @Option(
            names = "--report-dir",
            paramLabel = "DIR",
            description = "Write JSON, SARIF, JUnit XML and HTML reports here.")
    Path reportDir;

    @Mixin TrivyOptionsMixin trivy;

    @Override
    public Integer call() {
        ScanResult outcome =
                api().scan(
                                ScanSpec.of(
                                        image,
                                        policy == null ? null : policy.toString(),
                                        reportDir == null ? null : reportDir.toString(),
                                        trivy.settings()),
                                progress());
        PrintWriter out = text();
        outcome.lines().forEach(out::println);
        PrintWriter err = spec.commandLine().getErr();
        outcome.reports().forEach(p -> err.println("report: " + p));
        return finish(outcome);
    }
}
