package io.imagegate.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.message.ImageGateException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gate's SARIF 2.1.0 log, as {@link SarifReport} writes the scan's: one error per violation,
 * its rule the gate's ({@code untrusted}, {@code not-vetted}, {@code unpinned}, {@code
 * unresolved}), located where the image is written (a Dockerfile's line, the POM line of Jib's base
 * image) relative to the project's base directory, so a code-scanning view annotates that line. An
 * image given where no file is (Jib's base image on the command line) has a logical location.
 */
public final class GateSarif {
    /** The rules, in the order the log lists them, with what each means. */
    private static final Map<String, String> RULES = new LinkedHashMap<>();

    static {
        RULES.put("untrusted", "The image is not in a trusted registry");
        RULES.put("not-vetted", "The image has no PASS verdict that counts");
        RULES.put("unpinned", "The image is not pinned by digest");
        RULES.put("unresolved", "The image reference does not resolve");
    }

    /**
     * One violation.
     *
     * @param file where it is written: a path (relative to the base directory, or absolute), or a
     *     description of where it comes from (the command line)
     * @param line the 1-based line, or 0 when unknown
     * @param written the reference as written
     * @param rule the gate's rule
     * @param reason why, in the front end's words
     * @param fix what fixes it, in the front end's words
     */
    public record Result(
            String file, int line, String written, String rule, String reason, String fix) {}

    private GateSarif() {}

    /**
     * Writes the log of {@code results} to {@code file} (its directory created if needed), whole or
     * not at all; locations relative to {@code base}.
     */
    public static Path write(Path file, Path base, List<Result> results) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    "report.dir",
                    "cannot create the report directory {0}: {1}",
                    parent,
                    String.valueOf(e.getMessage()));
        }
        return ScanReports.write(file, bytes(base, results));
    }

    static byte[] bytes(Path base, List<Result> results) {
        ObjectNode root = Findings.JSON.createObjectNode();
        root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "imagegate");
        driver.put("informationUri", "https://github.com/imagegate/imagegate");
        ArrayNode rules = driver.putArray("rules");
        List<String> ids = List.copyOf(RULES.keySet());
        for (Map.Entry<String, String> rule : RULES.entrySet()) {
            ObjectNode r = rules.addObject();
            r.put("id", rule.getKey());
            r.putObject("shortDescription").put("text", rule.getValue());
            r.putObject("properties").putArray("tags").add("security").add("supply-chain");
        }
        // The base directory is where relative URIs start: a code-scanning upload resolves them
        // against the checkout.
        run.putObject("originalUriBaseIds")
                .putObject("PROJECTROOT")
                .put("uri", directoryUri(base.toAbsolutePath().normalize()));
        ArrayNode out = run.putArray("results");
        for (Result v : results) {
            ObjectNode r = out.addObject();
            r.put("ruleId", v.rule());
            int index = ids.indexOf(v.rule());
            if (index >= 0) {
                r.put("ruleIndex", index);
            }
            r.put("level", "error");
            r.putObject("message").put("text", v.reason() + " (fix: " + v.fix() + ")");
            ObjectNode location = r.putArray("locations").addObject();
            Optional<String> uri = uri(base, v.file(), v.line());
            if (uri.isPresent()) {
                ObjectNode physical = location.putObject("physicalLocation");
                ObjectNode artifact = physical.putObject("artifactLocation");
                artifact.put("uri", uri.get());
                if (!uri.get().startsWith("file:")) {
                    artifact.put("uriBaseId", "PROJECTROOT");
                }
                if (v.line() > 0) {
                    physical.putObject("region").put("startLine", v.line());
                }
            } else {
                location.putArray("logicalLocations")
                        .addObject()
                        .put("name", v.file())
                        .put("kind", "module");
            }
            r.putObject("partialFingerprints").put("imagegate/v1", fingerprint(v));
            r.putObject("properties").put("written", v.written());
        }
        try {
            return Findings.JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The file's URI: relative to {@code base} (with {@code /}) when under it, else absolute; empty
     * when {@code file} names no file (the command line: it has no line and is not there).
     */
    static Optional<String> uri(Path base, String file, int line) {
        Path path;
        try {
            path = base.resolve(file).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
        if (line <= 0 && !Files.isRegularFile(path)) {
            return Optional.empty();
        }
        Path root = base.toAbsolutePath().normalize();
        if (!path.startsWith(root)) {
            return Optional.of(path.toUri().toASCIIString());
        }
        String relative = root.relativize(path).toString().replace('\\', '/');
        try {
            return Optional.of(new URI(null, null, relative, null).toASCIIString());
        } catch (URISyntaxException e) {
            return Optional.of(path.toUri().toASCIIString());
        }
    }

    private static String directoryUri(Path dir) {
        String uri = dir.toUri().toASCIIString();
        return uri.endsWith("/") ? uri : uri + "/";
    }

    /** The same violation keeps its fingerprint across runs; the line may move. */
    private static String fingerprint(Result v) {
        String identity = String.join("\n", v.file(), v.written(), v.rule());
        return HexFormat.of()
                .formatHex(
                        io.imagegate.reference.Digest.newSha256()
                                .digest(identity.getBytes(StandardCharsets.UTF_8)));
    }
}
