package io.imagegate.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.finding.Severity;
import io.imagegate.finding.Vulnerability;
import io.imagegate.policy.AllowlistEntry;
import io.imagegate.policy.Verdict;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The JSON report: every verdict with every finding and how it was judged, the counts, the
 * allowlist entries used.
 */
final class JsonReport {
    private JsonReport() {}

    static byte[] bytes(List<Verdict> verdicts) {
        ArrayNode out = Findings.JSON.createArrayNode();
        for (Verdict v : verdicts) {
            out.add(json(v));
        }
        try {
            return Findings.JSON.writeValueAsBytes(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One verdict as JSON: every finding the scanner reported, each with its status (failing,
     * allowlisted, below-threshold, ignored-unfixed), the policy's counts and the scanner's own
     * counts.
     */
    static ObjectNode json(Verdict v) {
        ObjectNode node = Findings.JSON.createObjectNode();
        node.put("image", v.image().toString());
        v.platform().ifPresent(p -> node.put("platform", p.toString()));
        node.put("verdict", v.outcome().name());
        ArrayNode reasons = node.putArray("reasons");
        v.reasons().forEach(reasons::add);
        node.put("policyDigest", v.policyDigest());
        v.emptyScanAllowedBy()
                .ifPresent(
                        e -> {
                            ObjectNode empty = node.putObject("emptyScanAllowed");
                            empty.put("image", e.imagePattern());
                            empty.put("reason", e.reason());
                            if (e.expires() != null) {
                                empty.put("expires", e.expires());
                            }
                        });
        node.put("scanner", v.scanner().name());
        node.put("scannerVersion", v.scanner().version());
        v.dbUpdatedAt().ifPresent(d -> node.put("dbUpdatedAt", d));
        node.put("time", v.time().toString());
        ObjectNode counts = node.putObject("counts");
        for (Severity s : Severity.values()) {
            counts.put(s.name(), v.counts().getOrDefault(s, 0));
        }
        ObjectNode reported = node.putObject("reportedCounts");
        Map<Severity, Integer> all = v.reportedCounts();
        for (Severity s : Severity.values()) {
            reported.put(s.name(), all.getOrDefault(s, 0));
        }
        ArrayNode findings = node.putArray("findings");
        for (Verdict.Judged j : v.findings()) {
            ObjectNode n = findings.addObject();
            finding(n, j.finding());
            n.put("judgement", Findings.judgementName(j.status()));
            j.entry()
                    .ifPresent(
                            e -> {
                                n.put("reason", e.reason());
                                n.put("expires", e.expires());
                            });
        }
        ArrayNode expired = node.putArray("expiredAllowlistEntries");
        for (AllowlistEntry e : v.expiredEntries()) {
            expired.addObject()
                    .put("id", e.id())
                    .put("reason", e.reason())
                    .put("expires", e.expires());
        }
        return node;
    }

    private static void finding(ObjectNode n, Vulnerability f) {
        n.put("id", f.id());
        n.put("package", f.packageName());
        n.put("installedVersion", f.installedVersion());
        f.fixedVersion().ifPresent(x -> n.put("fixedVersion", x));
        n.put("status", f.status());
        n.put("severity", f.severity().name());
        f.cvssScore().ifPresent(s -> n.put("cvssScore", s));
        n.put("title", f.title());
        n.put("primaryUrl", f.primaryUrl());
    }
}
