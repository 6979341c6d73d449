package io.imagegate.cli;

import io.imagegate.ImageGate;
import io.imagegate.report.ScanReports;
import io.imagegate.reference.ImageReference;
import io.imagegate.scan.ScanOutcome;
import io.imagegate.scan.ScanRequest;
import io.imagegate.scan.Severity;
import io.imagegate.scan.TrivyOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Scan an image with Trivy and judge the findings against a policy.",
                "Exit codes: 0 PASS, 1 FAIL by policy, 2 error (bad input, Trivy failure, timeout)."})
final class ScanCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Image to scan, by tag or digest; every platform of a multi-arch image.")
    String image;

    @Option(names = "--policy", paramLabel = "FILE", description = "Policy file (YAML or JSON). Default: fail on HIGH and CRITICAL.")
    Path policy;

    @Option(names = "--report-dir", paramLabel = "DIR", description = "Write JSON, SARIF, JUnit XML and HTML reports here.")
    Path reportDir;

    @Option(names = "--trivy", paramLabel = "PATH", description = "The Trivy binary (default: $TRIVY_PATH, then the PATH).")
    Path trivy;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Trivy's cache directory (default: ~/.cache/trivy).")
    Path cacheDir;

    @Option(names = "--skip-db-update", description = "Use the vulnerability DB in the cache as it is.")
    boolean skipDbUpdate;

    @Option(names = "--skip-java-db-update", description = "Use the Java DB in the cache as it is.")
    boolean skipJavaDbUpdate;

    @Option(names = "--offline-scan", description = "No network use besides the registry.")
    boolean offlineScan;

    @Option(names = "--db-repository", paramLabel = "REF", description = "Where Trivy downloads its vulnerability DB from.")
    String dbRepository;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Longest time for one scan (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds = 600;

    @Option(names = "--severity", split = ",", paramLabel = "SEVERITY", description = "Severities Trivy reports (default: all).")
    List<String> severities = new ArrayList<>();

    @Mixin
    RegistryOptions registry;

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        EnumSet<Severity> selected = EnumSet.noneOf(Severity.class);
        severities.forEach(s -> selected.add(Severity.parse(s, "--severity")));
        Path cache = cacheDir != null ? cacheDir : TrivyOptions.defaultCacheDir();
        TrivyOptions options = new TrivyOptions(cache, skipDbUpdate, skipJavaDbUpdate, offlineScan, Optional.ofNullable(dbRepository),
                Duration.ofSeconds(timeoutSeconds), selected);
        PrintWriter err = spec.commandLine().getErr();
        ImageGate gate = new ImageGate(registry.transport(), RegistryOptions.dockerConfig(env));
        ScanOutcome outcome = gate.scan(new ScanRequest(ImageReference.parse(image), Optional.ofNullable(policy),
                Optional.ofNullable(reportDir), Optional.ofNullable(trivy), options, env), line -> {
            err.println(line);
            err.flush();
        });
        PrintWriter out = spec.commandLine().getOut();
        ScanReports.text(outcome.verdicts()).forEach(out::println);
        outcome.reports().forEach(p -> err.println("report: " + p));
        out.flush();
        return outcome.passed() ? Main.OK : Main.FAILED;
    }
}
