package io.imagegate.scan;

import io.imagegate.policy.Verdict;

import java.nio.file.Path;
import java.util.List;

/** The verdicts of a scan (one per platform of a multi-arch image) and the reports written. */
public record ScanOutcome(List<Verdict> verdicts, List<Path> reports, Trivy.TrivyVersion trivy) {
    public ScanOutcome {
        verdicts = List.copyOf(verdicts);
        reports = List.copyOf(reports);
    }

    public boolean passed() {
        return verdicts.stream().allMatch(Verdict::passed);
    }
}
