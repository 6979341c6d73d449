package io.imagegate.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagegate.Json;
import io.imagegate.finding.Severity;
import io.imagegate.finding.Vulnerability;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Trivy's JSON report (schema version 2), reduced to what imagegate judges: the artifact, its OS,
 * and per result the vulnerabilities and how many packages Trivy looked at. Unknown fields are
 * ignored; absent {@code Results}, {@code Packages} or {@code Vulnerabilities} mean none. {@code
 * json} is the report as Trivy wrote it, when it was kept.
 */
public record ScanReport(
        String artifactName, Optional<String> os, List<Result> results, Optional<TrivyJson> json) {
    public static final int SCHEMA_VERSION = 2;
    private static final ObjectMapper JSON = Json.MAPPER;

    public ScanReport {
        results = List.copyOf(results);
        json = json == null ? Optional.empty() : json;
    }

    public ScanReport(String artifactName, Optional<String> os, List<Result> results) {
        this(artifactName, os, results, Optional.empty());
    }

    /** This report with Trivy's own JSON of it. */
    ScanReport withJson(Optional<TrivyJson> kept) {
        return new ScanReport(artifactName, os, results, kept);
    }

    /**
     * One scanned target: the OS packages, or a language package file; {@code packages} is how many
     * Trivy listed.
     */
    public record Result(
            String target,
            String resultClass,
            String type,
            int packages,
            List<Vulnerability> vulnerabilities) {
        public Result {
            vulnerabilities = List.copyOf(vulnerabilities);
        }
    }

    public List<Vulnerability> vulnerabilities() {
        return results.stream().flatMap(r -> r.vulnerabilities().stream()).toList();
    }

    /**
     * How many packages (OS and language) Trivy found and checked; 0 means the scan checked
     * nothing.
     */
    public int packageCount() {
        return results.stream().mapToInt(Result::packages).sum();
    }

    /** Parses Trivy's JSON; {@code where} names the report in errors. */
    public static ScanReport parse(byte[] json, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw ImageGateException.of(
                    ErrorKind.TOOL_FAILURE,
                    "trivy.report-not-json",
                    "the Trivy report {0} is not valid JSON",
                    where);
        }
        if (root == null || !root.isObject()) {
            throw ImageGateException.of(
                    ErrorKind.TOOL_FAILURE,
                    "trivy.report-not-object",
                    "the Trivy report {0} is not a JSON object",
                    where);
        }
        int schema = root.path("SchemaVersion").asInt(-1);
        if (schema != SCHEMA_VERSION) {
            throw ImageGateException.of(
                    ErrorKind.TOOL_FAILURE,
                    "trivy.report-schema",
                    "the Trivy report {0} has SchemaVersion {1}; imagegate reads schema {2} (Trivy 0.20 and later)",
                    where,
                    schema < 0 ? "(none)" : String.valueOf(schema),
                    SCHEMA_VERSION);
        }
        JsonNode os = root.path("Metadata").path("OS");
        Optional<String> osName =
                os.isObject()
                        ? Optional.of(
                                (os.path("Family").asText("") + " " + os.path("Name").asText(""))
                                        .strip())
                        : Optional.empty();
        // Fail closed: a report whose findings are not where they belong is refused, never read as
        // "no findings".
        List<Result> results = new ArrayList<>();
        for (JsonNode result : list(root, "Results", where)) {
            if (!result.isObject()) {
                throw malformed(where, "an entry of Results is not an object");
            }
            List<Vulnerability> vulns = new ArrayList<>();
            for (JsonNode v : list(result, "Vulnerabilities", where)) {
                if (!v.isObject()
                        || !v.path("VulnerabilityID").isTextual()
                        || v.path("VulnerabilityID").asText().isBlank()) {
                    throw malformed(where, "a vulnerability has no VulnerabilityID");
                }
                vulns.add(vulnerability(v));
            }
            int packages = 0;
            for (JsonNode p : list(result, "Packages", where)) {
                // What counts as checked must be a package: a list of anything else would pass an
                // image Trivy did not read.
                if (!p.isObject()) {
                    throw malformed(where, "an entry of Packages is not an object");
                }
                packages++;
            }
            results.add(
                    new Result(
                            result.path("Target").asText(""),
                            result.path("Class").asText(""),
                            result.path("Type").asText(""),
                            packages,
                            vulns));
        }
        return new ScanReport(
                root.path("ArtifactName").asText(""), osName.filter(s -> !s.isEmpty()), results);
    }

    /** The array at {@code field}; absent or null means none; anything else is refused. */
    private static JsonNode list(JsonNode parent, String field, String where) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return JSON.createArrayNode();
        }
        if (!node.isArray()) {
            throw malformed(where, field + " is not a list");
        }
        return node;
    }

    private static ImageGateException malformed(String where, String problem) {
        return ImageGateException.of(
                ErrorKind.TOOL_FAILURE,
                "trivy.report-malformed",
                "the Trivy report {0} is malformed: {1}",
                where,
                problem);
    }

    private static Vulnerability vulnerability(JsonNode v) {
        Double best = null;
        for (JsonNode source : v.path("CVSS")) {
            JsonNode score = source.get("V3Score");
            if (score != null && score.isNumber() && (best == null || score.asDouble() > best)) {
                best = score.asDouble();
            }
        }
        String fixed = v.path("FixedVersion").asText("");
        String layer = v.path("Layer").path("Digest").asText("");
        return new Vulnerability(
                v.path("VulnerabilityID").asText(""),
                v.path("PkgName").asText(""),
                v.path("InstalledVersion").asText(""),
                fixed.isEmpty() ? Optional.empty() : Optional.of(fixed),
                v.path("Status").asText(""),
                severity(v.path("Severity").asText("UNKNOWN")),
                Optional.ofNullable(best),
                v.path("Title").asText(""),
                v.path("PrimaryURL").asText(""),
                layer.isEmpty() ? Optional.empty() : Optional.of(layer));
    }

    private static Severity severity(String text) {
        try {
            return Severity.valueOf(text);
        } catch (IllegalArgumentException e) {
            return Severity.UNKNOWN;
        }
    }
}
