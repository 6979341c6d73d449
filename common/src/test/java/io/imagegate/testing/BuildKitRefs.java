package io.imagegate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.reference.Digest;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * BuildKit's own answer for Dockerfiles: {@code tools/buildkit-refs} (Go, BuildKit's frontend code) built once per
 * version of its sources into {@code ~/.cache/imagegate/buildkit-refs/<hash>/} and run once for many files. A
 * missing Go toolchain fails the tests; it never skips them.
 */
public final class BuildKitRefs {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One question: a Dockerfile's text and the build args it is built with. */
    public record Input(String name, String text, Map<String, String> args, Optional<String> platform) {
    }

    /** BuildKit's answer: the frontend image, the images pulled, the ONBUILD line ranges, or its error. */
    public record Output(String name, Optional<String> syntax, List<String> images, List<int[]> onbuild, Optional<String> error) {
    }

    private BuildKitRefs() {
    }

    /** The built tool, compiled now if its sources changed since the last build on this machine. */
    public static synchronized Path binary() {
        Path tool = FixtureVulnerabilityDb.projectRoot().resolve("tools/buildkit-refs");
        try {
            String key = Digest.sha256(String.join("\n", Files.readString(tool.resolve("main.go")),
                    Files.readString(tool.resolve("go.mod")), Files.readString(tool.resolve("go.sum")))).hex().substring(0, 16);
            String base = System.getenv().getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache");
            Path dir = Path.of(base, "imagegate", "buildkit-refs", key);
            Path binary = dir.resolve("buildkit-refs");
            if (Files.isExecutable(binary)) {
                return binary;
            }
            Files.createDirectories(dir);
            Path staging = Files.createTempFile(dir, "build-", ".tmp");
            Process go;
            try {
                go = new ProcessBuilder("go", "build", "-o", staging.toString(), ".").directory(tool.toFile()).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IllegalStateException("the differential Dockerfile tests need Go (`go` on the PATH) to build tools/buildkit-refs: "
                        + e.getMessage() + "; install Go or run scripts/setup", e);
            }
            String output = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!go.waitFor(10, TimeUnit.MINUTES) || go.exitValue() != 0) {
                throw new IllegalStateException("building tools/buildkit-refs failed (run `cd tools/buildkit-refs && go mod download` once"
                        + " with access to the Go module proxy):\n" + output);
            }
            Files.move(staging, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return binary;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** BuildKit's answers for all inputs, in order, from one process. */
    public static List<Output> run(List<Input> inputs) {
        Path binary = binary();
        try {
            Process process = new ProcessBuilder(binary.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8))) {
                    for (Input in : inputs) {
                        ObjectNode n = JSON.createObjectNode();
                        n.put("name", in.name());
                        n.put("text", in.text());
                        ObjectNode args = n.putObject("args");
                        in.args().forEach(args::put);
                        in.platform().ifPresent(p -> n.put("platform", p));
                        w.write(JSON.writeValueAsString(n));
                        w.write('\n');
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            List<Output> out = new ArrayList<>(inputs.size());
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    JsonNode n = JSON.readTree(line);
                    List<String> images = new ArrayList<>();
                    n.path("images").forEach(i -> images.add(i.asText()));
                    List<int[]> onbuild = new ArrayList<>();
                    n.path("onbuild").forEach(i -> onbuild.add(new int[] {i.get(0).asInt(), i.get(1).asInt()}));
                    out.add(new Output(n.path("name").asText(), Optional.ofNullable(n.get("syntax")).map(JsonNode::asText), images, onbuild,
                            Optional.ofNullable(n.get("error")).map(JsonNode::asText)));
                }
            }
            writer.join();
            if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0 || out.size() != inputs.size()) {
                throw new IllegalStateException("tools/buildkit-refs answered " + out.size() + " of " + inputs.size() + " inputs (exit "
                        + (process.isAlive() ? "none" : process.exitValue()) + ")");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
