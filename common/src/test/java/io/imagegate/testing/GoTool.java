package io.imagegate.testing;

import io.imagegate.reference.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Go program under {@code tools/} that the tests run, built once per version of its sources
 * (main.go, go.mod, go.sum and any other .go file there) into {@code
 * ~/.cache/imagegate/<name>/<hash>/<name>}. A missing Go toolchain fails the tests; it never skips
 * them.
 */
public final class GoTool {
    private GoTool() {}

    /**
     * The directory of Go module {@code module}@{@code version} in the module cache, downloaded
     * through the Go module proxy when it is not there yet ({@code go mod download}); for the data
     * real projects publish with their code.
     */
    public static synchronized Path module(String module, String version) {
        try {
            Process go;
            try {
                go =
                        new ProcessBuilder("go", "mod", "download", "-json", module + "@" + version)
                                .redirectErrorStream(true)
                                .start();
            } catch (IOException e) {
                throw new IllegalStateException(
                        "reading the Go module "
                                + module
                                + " needs Go (`go` on the PATH): "
                                + e.getMessage()
                                + "; install Go or run scripts/setup",
                        e);
            }
            String output = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!go.waitFor(5, TimeUnit.MINUTES) || go.exitValue() != 0) {
                throw new IllegalStateException(
                        "go mod download "
                                + module
                                + "@"
                                + version
                                + " failed (scripts/setup caches it):\n"
                                + output);
            }
            String dir =
                    new com.fasterxml.jackson.databind.ObjectMapper()
                            .readTree(output)
                            .path("Dir")
                            .asText("");
            if (dir.isEmpty() || !Files.isDirectory(Path.of(dir))) {
                throw new IllegalStateException(
                        "go mod download "
                                + module
                                + "@"
                                + version
                                + " named no directory:\n"
                                + output);
            }
            return Path.of(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The built tool in {@code toolDir} (relative to the project root), compiled now if its sources
     * changed.
     */
    public static synchronized Path binary(String toolDir, String name) {
        Path tool = FixtureVulnerabilityDb.projectRoot().resolve(toolDir);
        try {
            String base =
                    System.getenv()
                            .getOrDefault(
                                    "XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache");
            Path dir = Path.of(base, "imagegate", name, sourceKey(tool));
            Path binary = dir.resolve(name);
            if (Files.isExecutable(binary)) {
                return binary;
            }
            Files.createDirectories(dir);
            Path staging = Files.createTempFile(dir, "build-", ".tmp");
            try {
                Process go;
                try {
                    go =
                            new ProcessBuilder("go", "build", "-o", staging.toString(), ".")
                                    .directory(tool.toFile())
                                    .redirectErrorStream(true)
                                    .start();
                } catch (IOException e) {
                    throw new IllegalStateException(
                            "building "
                                    + toolDir
                                    + " needs Go (`go` on the PATH): "
                                    + e.getMessage()
                                    + "; install Go or run scripts/setup",
                            e);
                }
                String output =
                        new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!go.waitFor(10, TimeUnit.MINUTES) || go.exitValue() != 0) {
                    throw new IllegalStateException(
                            "building "
                                    + toolDir
                                    + " failed (run `cd "
                                    + toolDir
                                    + " && go mod download` once"
                                    + " with access to the Go module proxy, or scripts/setup):\n"
                                    + output);
                }
                Files.move(
                        staging,
                        binary,
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                return binary;
            } finally {
                Files.deleteIfExists(staging);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * main.go, go.mod, go.sum, then the other .go files by name: the same key as before for
     * one-file tools.
     */
    private static String sourceKey(Path tool) throws IOException {
        List<String> parts =
                new ArrayList<>(
                        List.of(
                                Files.readString(tool.resolve("main.go")),
                                Files.readString(tool.resolve("go.mod")),
                                Files.readString(tool.resolve("go.sum"))));
        try (Stream<Path> files = Files.list(tool)) {
            for (Path p :
                    files.filter(
                                    p ->
                                            p.toString().endsWith(".go")
                                                    && !p.getFileName()
                                                            .toString()
                                                            .equals("main.go"))
                            .sorted()
                            .toList()) {
                parts.add(p.getFileName() + "\n" + Files.readString(p));
            }
        }
        return Digest.sha256(String.join("\n", parts)).hex().substring(0, 16);
    }
}
