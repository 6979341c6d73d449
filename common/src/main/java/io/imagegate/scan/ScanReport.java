package io.imagegate.scan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
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

    /**
     * Parses Trivy's JSON; {@code where} names the report in errors. It streams: with {@code
     * --list-all-pkgs} a real image's report lists every package (about 1 KB each; a Debian base
     * comes close to 1 MB per platform), and packages are only counted, never built into a tree. It
     * reads as a tree would: a repeated key counts once, with its last value; and a report is
     * refused for the first problem a reader of the whole tree finds (the schema first, then the
     * results in order, a result's vulnerabilities before its packages).
     */
    public static ScanReport parse(byte[] json, String where) {
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                if (first != null) {
                    p.skipChildren(); // a broken array is not JSON before it is not an object
                }
                throw ImageGateException.of(
                        ErrorKind.TOOL_FAILURE,
                        "trivy.report-not-object",
                        "the Trivy report {0} is not a JSON object",
                        where);
            }
            JsonNode schema = null;
            JsonNode os = null;
            JsonNode artifact = null;
            ResultsReader results = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "SchemaVersion" -> schema = tree(p);
                    case "ArtifactName" -> artifact = tree(p);
                    case "Metadata" -> os = tree(p).path("OS");
                    case "Results" -> results = ResultsReader.read(p, where);
                    default -> p.skipChildren();
                }
            }
            int version = schema == null ? -1 : schema.asInt(-1);
            if (version != SCHEMA_VERSION) {
                throw ImageGateException.of(
                        ErrorKind.TOOL_FAILURE,
                        "trivy.report-schema",
                        "the Trivy report {0} has SchemaVersion {1}; imagegate reads schema {2} (Trivy 0.20 and later)",
                        where,
                        version < 0 ? "(none)" : String.valueOf(version),
                        SCHEMA_VERSION);
            }
            Optional<String> osName =
                    os != null && os.isObject()
                            ? Optional.of(
                                    (os.path("Family").asText("")
                                                    + " "
                                                    + os.path("Name").asText(""))
                                            .strip())
                            : Optional.empty();
            // Fail closed: a report whose findings are not where they belong is refused, never
            // read as "no findings".
            List<Result> read = results == null ? List.of() : results.resultsOrThrow();
            return new ScanReport(
                    artifact == null ? "" : artifact.asText(""),
                    osName.filter(s -> !s.isEmpty()),
                    read);
        } catch (IOException e) {
            throw ImageGateException.of(
                    ErrorKind.TOOL_FAILURE,
                    "trivy.report-not-json",
                    "the Trivy report {0} is not valid JSON",
                    where);
        }
    }

    /** The value at the parser's current token, as a tree (a JSON null as a null node). */
    private static JsonNode tree(JsonParser p) throws IOException {
        JsonNode node = JSON.readTree(p);
        return node == null ? NullNode.getInstance() : node;
    }

    /**
     * The value of one {@code Results} key: the results read, or the first problem found in them,
     * thrown only once the whole report was read (a wrong schema is reported first).
     */
    private record ResultsReader(List<Result> results, ImageGateException problem) {
        List<Result> resultsOrThrow() {
            if (problem != null) {
                throw problem;
            }
            return results;
        }

        static ResultsReader read(JsonParser p, String where) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return new ResultsReader(List.of(), null);
            }
            if (t != JsonToken.START_ARRAY) {
                p.skipChildren();
                return new ResultsReader(List.of(), malformed(where, "Results is not a list"));
            }
            List<Result> results = new ArrayList<>();
            ImageGateException problem = null;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    if (problem == null) {
                        problem = malformed(where, "an entry of Results is not an object");
                    }
                    continue;
                }
                ResultReader result = ResultReader.read(p, where);
                if (problem == null) {
                    problem = result.problem();
                }
                if (problem == null) {
                    results.add(result.result());
                }
            }
            return new ResultsReader(results, problem);
        }
    }

    /** One entry of {@code Results}, read from its START_OBJECT to its END_OBJECT. */
    private record ResultReader(Result result, ImageGateException problem) {
        static ResultReader read(JsonParser p, String where) throws IOException {
            JsonNode target = null;
            JsonNode resultClass = null;
            JsonNode type = null;
            List<Vulnerability> vulns = List.of();
            ImageGateException vulnProblem = null;
            int packages = 0;
            ImageGateException packageProblem = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "Target" -> target = tree(p);
                    case "Class" -> resultClass = tree(p);
                    case "Type" -> type = tree(p);
                    case "Vulnerabilities" -> {
                        vulns = new ArrayList<>();
                        vulnProblem = null;
                        if (t == JsonToken.START_ARRAY) {
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                JsonNode v = tree(p);
                                if (!v.isObject()
                                        || !v.path("VulnerabilityID").isTextual()
                                        || v.path("VulnerabilityID").asText().isBlank()) {
                                    if (vulnProblem == null) {
                                        vulnProblem =
                                                malformed(
                                                        where,
                                                        "a vulnerability has no VulnerabilityID");
                                    }
                                } else {
                                    vulns.add(vulnerability(v));
                                }
                            }
                        } else if (t != JsonToken.VALUE_NULL) {
                            p.skipChildren();
                            vulnProblem = malformed(where, "Vulnerabilities is not a list");
                        }
                    }
                    case "Packages" -> {
                        packages = 0;
                        packageProblem = null;
                        if (t == JsonToken.START_ARRAY) {
                            // What counts as checked must be a package: a list of anything else
                            // would pass an image Trivy did not read.
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                if (p.currentToken() != JsonToken.START_OBJECT
                                        && packageProblem == null) {
                                    packageProblem =
                                            malformed(
                                                    where, "an entry of Packages is not an object");
                                }
                                p.skipChildren();
                                packages++;
                            }
                        } else if (t != JsonToken.VALUE_NULL) {
                            p.skipChildren();
                            packageProblem = malformed(where, "Packages is not a list");
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            ImageGateException problem = vulnProblem != null ? vulnProblem : packageProblem;
            return new ResultReader(
                    problem != null
                            ? null
                            : new Result(
                                    text(target), text(resultClass), text(type), packages, vulns),
                    problem);
        }

        private static String text(JsonNode node) {
            return node == null ? "" : node.asText("");
        }
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
