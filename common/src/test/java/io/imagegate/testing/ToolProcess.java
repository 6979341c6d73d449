package io.imagegate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs an independent client's CLI (ORAS, cosign) hermetically: found as {@code $VARIABLE}, else on
 * the PATH, else in {@code $GOBIN} or {@code ~/go/bin}; a fresh HOME and Docker config (no
 * credentials or config of the machine's), deleted afterwards; extra environment variables
 * (passwords) only through the environment; a bounded wait. A missing binary or a non-zero exit
 * fails with the output.
 */
public final class ToolProcess {
    /** What a run printed (stdout and stderr together) and how it exited. */
    public record Run(int exitCode, String output) {}

    private final String name;
    private final String variable;
    private final String install;

    public ToolProcess(String name, String variable, String install) {
        this.name = name;
        this.variable = variable;
        this.install = install;
    }

    public Path binary() {
        String configured = System.getenv(variable);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        List<String> dirs =
                new ArrayList<>(
                        List.of(
                                System.getenv()
                                        .getOrDefault("PATH", "")
                                        .split(java.io.File.pathSeparator)));
        String gobin = System.getenv("GOBIN");
        if (gobin != null) {
            dirs.add(gobin);
        }
        dirs.add(System.getProperty("user.home") + "/go/bin");
        return dirs.stream()
                .filter(d -> !d.isBlank())
                .map(d -> Path.of(d, name))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        name
                                                + " is not installed, and these tests need it as an independent"
                                                + " client; run scripts/setup ("
                                                + install
                                                + ") or set "
                                                + variable));
    }

    /**
     * Runs it in {@code workingDirectory} (null: this one); a non-zero exit fails with its output.
     */
    public String run(Path workingDirectory, Map<String, String> environment, String... args) {
        Run run = attempt(workingDirectory, environment, args);
        if (run.exitCode() != 0) {
            throw new IllegalStateException(
                    name
                            + " failed ("
                            + run.exitCode()
                            + "): "
                            + String.join(" ", args)
                            + "\n"
                            + run.output());
        }
        return run.output();
    }

    /** Runs it and returns how it ended, whatever the exit code. */
    public Run attempt(Path workingDirectory, Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(List.of(args));
        Path home = null;
        try {
            home = Files.createTempDirectory("imagegate-" + name + "-home-");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            builder.environment().put("DOCKER_CONFIG", home.toString());
            builder.environment().put("HOME", home.toString());
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not finish: " + command);
            }
            return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            delete(home);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
