package io.imagegate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The ORAS CLI ({@code oras.land/oras}, installed pinned by scripts/setup with {@code go install}), as an independent
 * OCI client: what it sees of imagegate's verdicts, any OCI tool sees. A missing binary fails the tests.
 */
public final class Oras {
    private Oras() {
    }

    /** {@code IMAGEGATE_ORAS_BIN}, else {@code oras} on the PATH, else {@code $GOBIN} or {@code ~/go/bin}. */
    public static Path binary() {
        String configured = System.getenv("IMAGEGATE_ORAS_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)));
        String gobin = System.getenv("GOBIN");
        if (gobin != null) {
            dirs.add(gobin);
        }
        dirs.add(System.getProperty("user.home") + "/go/bin");
        return dirs.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, "oras")).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("ORAS (oras) is not installed, and these tests need it as an independent"
                        + " OCI client; run scripts/setup (go install oras.land/oras/cmd/oras@v1.3.0) or set IMAGEGATE_ORAS_BIN"));
    }

    /** Runs {@code oras ARGS…} and returns its stdout; a non-zero exit fails with its output. */
    public static String run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(List.of(args));
        try {
            Path home = Files.createTempDirectory("imagegate-oras-home-");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            // No credentials or config of the machine's: an empty Docker config.
            builder.environment().put("DOCKER_CONFIG", home.toString());
            builder.environment().put("HOME", home.toString());
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("oras did not finish: " + command);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("oras failed (" + process.exitValue() + "): " + command + "\n" + text);
            }
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
