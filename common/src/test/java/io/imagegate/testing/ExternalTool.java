package io.imagegate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An independent command-line client the tests run (ORAS, cosign): found through its {@code IMAGEGATE_*_BIN} variable,
 * the PATH or {@code ~/go/bin}, run with an empty HOME and Docker config of its own (no credentials or settings of the
 * machine's) that is deleted afterwards, bounded in time. A missing binary or a non-zero exit fails the test.
 */
final class ExternalTool {
    private ExternalTool() {
    }

    /** {@code variable}, else {@code name} on the PATH, else {@code $GOBIN} or {@code ~/go/bin}; else fails with {@code install}. */
    static Path find(String variable, String name, String install) {
        String configured = System.getenv(variable);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)));
        String gobin = System.getenv("GOBIN");
        if (gobin != null) {
            dirs.add(gobin);
        }
        dirs.add(System.getProperty("user.home") + "/go/bin");
        return dirs.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " is not installed, and these tests need it as an independent"
                        + " client; " + install + " or set " + variable));
    }

    /**
     * Runs {@code binary ARGS…} in {@code workDir} (null: the temporary home) with {@code environment} added, and returns its
     * output (stdout and stderr together); a non-zero exit, or no exit within {@code timeout}, fails with that output.
     */
    static String run(Path binary, List<String> args, Map<String, String> environment, Path workDir, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(args);
        Path home = null;
        try {
            home = Files.createTempDirectory("imagegate-tool-home-");
            Path output = home.resolve("output");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .directory((workDir == null ? home : workDir).toFile());
            builder.environment().put("DOCKER_CONFIG", home.toString());
            builder.environment().put("HOME", home.toString());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(binary.getFileName() + " did not finish within " + timeout + ": " + command + "\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(binary.getFileName() + " failed (" + process.exitValue() + "): " + command + "\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            delete(home);
        }
    }

    /** Deletes a directory tree, best effort. */
    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
