package io.imagegate.scan;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagegate.Json;
import io.imagegate.finding.ScannerInfo;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finding the Trivy binary and learning its version and its DB's dates; too old a Trivy is refused
 * here.
 */
final class TrivyLocator {
    private TrivyLocator() {}

    /**
     * Finds Trivy (the explicit path, then {@code TRIVY_PATH}, then the {@code PATH} of {@code
     * env}), records its version and DB dates, and refuses a version older than {@link
     * #Trivy.OLDEST_TESTED}. Temporary directories go under {@code tempRoot}.
     */
    static Trivy locate(
            Optional<Path> explicit, Map<String, String> env, Path cacheDir, Path tempRoot) {
        return locate(explicit, env, cacheDir, tempRoot, Optional.empty());
    }

    /**
     * As {@link #locate(Optional, Map, Path, Path)}, remembering each binary's version in {@code
     * versions} (keyed by its real path, size and modification time), so a run does not start
     * {@code trivy version} for a binary it already knows: about 0.4 s saved on every scan. The
     * DB's dates are read from the cache's metadata each time.
     */
    static Trivy locate(
            Optional<Path> explicit,
            Map<String, String> env,
            Path cacheDir,
            Path tempRoot,
            Optional<Path> versions) {
        Path binary =
                explicit.or(
                                () ->
                                        Optional.ofNullable(env.get("TRIVY_PATH"))
                                                .filter(s -> !s.isBlank())
                                                .map(Path::of))
                        .map(
                                p -> {
                                    if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                                        throw ImageGateException.configuration(
                                                "trivy.not-at-path",
                                                "Trivy was expected at {0} ({1}), but there is no"
                                                        + " executable there; {2} ({1})",
                                                p,
                                                Field.TRIVY,
                                                Trivy.INSTALL_HINT);
                                    }
                                    return p;
                                })
                        .or(() -> onPath(env.getOrDefault("PATH", "")))
                        .orElseThrow(
                                () ->
                                        ImageGateException.configuration(
                                                "trivy.missing",
                                                "Trivy is not installed (not found on the PATH);"
                                                        + " {0} ({1})",
                                                Trivy.INSTALL_HINT,
                                                Field.TRIVY));
        Map<String, String> childEnv = TrivyEnvironment.hermetic(env);
        Optional<String> known = versions.flatMap(file -> VersionCache.get(file, binary));
        ScannerInfo info;
        if (known.isPresent()) {
            Optional<ScannerInfo> db = dbDates(cacheDir);
            info =
                    new ScannerInfo(
                            "trivy",
                            known.get(),
                            db.flatMap(ScannerInfo::dbUpdatedAt),
                            db.flatMap(ScannerInfo::dbNextUpdate));
        } else {
            info = runVersion(binary, childEnv, cacheDir, tempRoot);
        }
        if (compareVersions(info.version(), Trivy.OLDEST_TESTED) < 0) {
            throw ImageGateException.configuration(
                    "trivy.too-old",
                    "Trivy {0} at {1} is older than {2}, the oldest version imagegate"
                            + " is tested with; {3} ({4})",
                    info.version(),
                    binary,
                    Trivy.OLDEST_TESTED,
                    Trivy.INSTALL_HINT,
                    Field.TRIVY);
        }
        if (known.isEmpty()) {
            versions.ifPresent(file -> VersionCache.put(file, binary, info.version()));
        }
        return new Trivy(binary, info, childEnv, tempRoot);
    }

    private static ScannerInfo runVersion(
            Path binary, Map<String, String> childEnv, Path cacheDir, Path tempRoot) {
        Path work = Trivy.tempDir(tempRoot, "imagegate-trivy-version-");
        try {
            BoundedProcess.Outcome out =
                    BoundedProcess.run(
                            List.of(
                                    binary.toString(),
                                    "version",
                                    "--format",
                                    "json",
                                    "--cache-dir",
                                    cacheDir.toAbsolutePath().toString()),
                            work,
                            childEnv,
                            Duration.ofSeconds(60),
                            "trivy version");
            if (out.exitCode() != 0) {
                throw ImageGateException.of(
                        ErrorKind.TOOL_FAILURE,
                        "trivy.version-failed",
                        "`{0} version` failed (exit {1}): {2}",
                        binary,
                        out.exitCode(),
                        out.lastErrorLine());
            }
            return parseVersion(out.stdout(), binary);
        } finally {
            ProcessCleanup.delete(work);
        }
    }

    /**
     * The DB's dates from {@code <cache>/db/metadata.json}, as {@code trivy version} reports them.
     */
    static Optional<ScannerInfo> dbDates(Path cacheDir) {
        Path metadata = cacheDir.resolve("db").resolve("metadata.json");
        try {
            if (!Files.isRegularFile(metadata) || Files.size(metadata) > 64 * 1024) {
                return Optional.empty();
            }
            JsonNode json = Json.MAPPER.readTree(Files.readAllBytes(metadata));
            return Optional.of(
                    new ScannerInfo(
                            "trivy", "", text(json, "UpdatedAt"), text(json, "NextUpdate")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static ScannerInfo parseVersion(String json, Path binary) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw ImageGateException.configuration(
                    "trivy.version-not-json",
                    "`{0} version --format json` did not print JSON; is it" + " Trivy? ({1})",
                    binary,
                    Field.TRIVY);
        }
        String v = root.path("Version").asText("");
        if (v.isEmpty()) {
            throw ImageGateException.configuration(
                    "trivy.version-missing",
                    "`{0} version --format json` gave no version; is it Trivy?" + " ({1})",
                    binary,
                    Field.TRIVY);
        }
        JsonNode db = root.path("VulnerabilityDB");
        return new ScannerInfo("trivy", v, text(db, "UpdatedAt"), text(db, "NextUpdate"));
    }

    private static Optional<String> text(JsonNode node, String field) {
        String value = node.path(field).asText("");
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /**
     * Compares dotted versions numerically ({@code 0.74.0} &lt; {@code 0.100.1}); a suffix after
     * '-' is ignored.
     */
    static int compareVersions(String a, String b) {
        String[] x = a.replaceFirst("^v", "").split("-")[0].split("\\.");
        String[] y = b.replaceFirst("^v", "").split("-")[0].split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? parseIntOrZero(x[i]) : 0;
            int yi = i < y.length ? parseIntOrZero(y[i]) : 0;
            if (xi != yi) {
                return Integer.compare(xi, yi);
            }
        }
        return 0;
    }

    private static int parseIntOrZero(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Optional<Path> onPath(String path) {
        return Stream.of(path.split(File.pathSeparator))
                .filter(d -> !d.isBlank())
                .map(d -> Path.of(d, "trivy"))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }
}
