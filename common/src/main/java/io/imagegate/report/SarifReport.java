package io.imagegate.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.finding.Vulnerability;
import io.imagegate.policy.Verdict;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The SARIF 2.1.0 report: a rule per vulnerability, a result per finding, and an error per failed verdict. */
final class SarifReport {
    private SarifReport() {
    }

    static byte[] bytes(List<Verdict> verdicts) {
        ObjectNode root = Findings.JSON.createObjectNode();
        root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "imagegate");
        driver.put("informationUri", "https://github.com/imagegate/imagegate");
        ArrayNode rules = driver.putArray("rules");
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        ArrayNode results = run.putArray("results");
        for (Verdict v : verdicts) {
            for (Vulnerability f : v.failing()) {
                result(results, rules, ruleIndex, v, f, "error", null);
            }
            for (Verdict.Allowed a : v.allowlisted()) {
                result(results, rules, ruleIndex, v, a.finding(), "note", a.entry().reason());
            }
            if (!v.passed()) {
                verdictResult(results, rules, ruleIndex, v);
            }
        }
        try {
            return Findings.JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rule of a failed verdict: every image that failed is a result, also one that failed without a failing finding. */
    static final String POLICY_RULE = "imagegate.policy";

    /**
     * One error per failed image, with the verdict's reasons: a FAIL for a reason that is no finding (a scan that
     * checked nothing, a DB too old) must not look clean in a code-scanning view.
     */
    private static void verdictResult(ArrayNode results, ArrayNode rules, Map<String, Integer> ruleIndex, Verdict v) {
        int index = rule(rules, ruleIndex, POLICY_RULE, rule -> {
            rule.putObject("shortDescription").put("text", "The image failed imagegate's policy");
            rule.putObject("properties").putArray("tags").add("security");
        });
        addResult(results, POLICY_RULE, index, "error", "FAIL " + Findings.subject(v) + ": " + String.join("; ", v.reasons()), v);
    }

    private static void result(ArrayNode results, ArrayNode rules, Map<String, Integer> ruleIndex, Verdict v, Vulnerability f,
                               String level, String suppression) {
        int index = rule(rules, ruleIndex, f.id(), rule -> {
            rule.putObject("shortDescription").put("text", f.title().isEmpty() ? f.id() : f.title());
            Findings.safeUrl(f.primaryUrl()).ifPresent(url -> rule.put("helpUri", url));
            ObjectNode properties = rule.putObject("properties");
            properties.putArray("tags").add("security").add("vulnerability");
            f.cvssScore().ifPresent(s -> properties.put("security-severity", String.format(Locale.ROOT, "%.1f", s)));
        });
        ObjectNode r = addResult(results, f.id(), index, level, f.severity() + " " + f.id() + " in " + f.packageName() + " "
                + f.installedVersion() + f.fixedVersion().map(x -> " (fixed in " + x + ")").orElse(" (no fix)") + " in " + Findings.subject(v), v);
        if (suppression != null) {
            r.putArray("suppressions").addObject().put("kind", "external").put("justification", suppression);
        }
    }

    /** The index of rule {@code id}, added (and described by {@code describe}) the first time it is used. */
    private static int rule(ArrayNode rules, Map<String, Integer> ruleIndex, String id, java.util.function.Consumer<ObjectNode> describe) {
        Integer index = ruleIndex.get(id);
        if (index == null) {
            index = rules.size();
            ruleIndex.put(id, index);
            ObjectNode rule = rules.addObject();
            rule.put("id", id);
            describe.accept(rule);
        }
        return index;
    }

    private static ObjectNode addResult(ArrayNode results, String ruleId, int index, String level, String message, Verdict v) {
        ObjectNode r = results.addObject();
        r.put("ruleId", ruleId);
        r.put("ruleIndex", index);
        r.put("level", level);
        r.putObject("message").put("text", message);
        // An image reference is no URI (host:port reads as a scheme); oci:// is the form Helm and ORAS use.
        r.putArray("locations").addObject().putObject("physicalLocation").putObject("artifactLocation").put("uri", "oci://" + v.image());
        return r;
    }
}
