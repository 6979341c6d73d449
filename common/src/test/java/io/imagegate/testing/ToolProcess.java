package io.imagegate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An independent command-line tool the tests run (ORAS, cosign): found like a user's shell would, run hermetically
 * (an empty HOME and Docker config of its own, deleted afterwards whatever happened), within a time limit, its output
 * returned; a missing binary or a non-zero exit fails the test with the output.
 */
public final class ToolProcess {
    private ToolProcess() {
    }

    /** {@code envVariable}, else {@code name} on the PATH, else {@code $GOBIN} or {@code ~/go/bin}; else fails with {@code install}. */
    public static Path binary(String envVariable, String name, String install) {
        String configured = System.getenv(envVariable);
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
                .orElseThrow(() -> new IllegalStateException(name + " is not installed, and these tests need it; " + install
                        + " or set " + envVariable));
    }

    /**
     * Runs {@code command} in {@code workDir} (null: a temporary home) with {@code environment} added (secrets such as a
     * key's password go there, never into arguments) and returns its output (stdout and stderr).
     */
    public static String run(List<String> command, Map<String, String> environment, Path workDir, Duration timeout) {
        String name = Path.of(command.get(0)).getFileName().toString();
        Path home = null;
        Process process = null;
        try {
            home = Files.createTempDirectory("imagegate-" + name + "-home-");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory((workDir == null ? home : workDir).toFile());
            // No credentials or config of the machine's: an empty Docker config.
            builder.environment().put("DOCKER_CONFIG", home.toString());
            builder.environment().put("HOME", home.toString());
            builder.environment().putAll(environment);
            process = builder.start();
            process.getOutputStream().close();
            InputStream out = process.getInputStream();
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readAllBytes();
                } catch (IOException e) {
                    return ("(output unreadable: " + e.getMessage() + ")").getBytes(StandardCharsets.UTF_8);
                }
            });
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " did not finish within " + timeout + ": " + command);
            }
            String text = new String(output.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(name + " failed (" + process.exitValue() + "): " + command + "\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(name + "'s output could not be read: " + e, e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            delete(home);
        }
    }

    /** Deletes a directory tree, if there is one. */
    public static void delete(Path dir) {
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
