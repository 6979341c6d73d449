package io.imagegate.scan;

import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.TransportOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The arguments of one Trivy scan: every option on the command line, no secret among them. */
final class TrivyCommand {
    private TrivyCommand() {}

    /**
     * {@code trivy image …} for one image by digest, one platform of it or the image as it is, its
     * report to {@code output}.
     */
    static List<String> scan(
            Path binary,
            ImageReference image,
            Optional<Platform> platform,
            TrivyOptions options,
            TransportOptions transport,
            Path output) {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                binary.toString(),
                                "image",
                                "--image-src",
                                "remote",
                                "--format",
                                "json",
                                "--output",
                                output.toString(),
                                "--scanners",
                                "vuln",
                                "--list-all-pkgs", // the packages looked at: a scan that looked at
                                // none checked nothing
                                "--skip-version-check",
                                "--disable-telemetry",
                                "--no-progress",
                                "--quiet",
                                "--cache-dir",
                                options.cacheDir().toAbsolutePath().toString(),
                                // Layer analyses in memory, the DB shared read-only: scans run side
                                // by side without contending for
                                // the file cache's lock ("cache may be in use by another process"),
                                // ours or anyone's.
                                "--cache-backend",
                                "memory",
                                "--timeout",
                                Math.max(1, options.timeout().toSeconds()) + "s"));
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
            command.addAll(
                    List.of(
                            "--severity",
                            options.severities().stream()
                                    .sorted()
                                    .map(Enum::name)
                                    .collect(Collectors.joining(","))));
        }
        options.server().ifPresent(server -> command.addAll(List.of("--server", server.url())));
        platform.ifPresent(p -> command.addAll(List.of("--platform", p.toString())));
        if (transport.allowsPlainHttp(image.registry())) {
            command.add("--insecure");
        }
        command.add(
                image.apiHost() + "/" + image.repository() + "@" + image.digest().orElseThrow());
        return command;
    }
}
