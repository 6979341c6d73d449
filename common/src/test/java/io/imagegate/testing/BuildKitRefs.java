package io.imagegate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * BuildKit's own answer for Dockerfiles: {@code tools/buildkit-refs} (Go, BuildKit's frontend code)
 * built once per version of its sources into {@code ~/.cache/imagegate/buildkit-refs/<hash>/} and
 * run once for many files. A missing Go toolchain fails the tests; it never skips them.
 */
public final class BuildKitRefs {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One question: a Dockerfile's text and the build args it is built with. */
    public record Input(
            String name, String text, Map<String, String> args, Optional<String> platform) {}

    /**
     * BuildKit's answer: the frontend image, the images pulled, the ONBUILD line ranges, or its
     * error.
     */
    public record Output(
            String name,
            Optional<String> syntax,
            List<String> images,
            List<int[]> onbuild,
            Optional<String> error) {}

    private BuildKitRefs() {}

    /** The built tool, compiled now if its sources changed since the last build on this machine. */
    public static Path binary() {
        return GoTool.binary("tools/buildkit-refs", "buildkit-refs");
    }

    /** BuildKit's answers for all inputs, in order, from one process. */
    public static List<Output> run(List<Input> inputs) {
        Path binary = binary();
        try {
            Process process =
                    new ProcessBuilder(binary.toString())
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
            CompletableFuture<Void> writer =
                    CompletableFuture.runAsync(
                            () -> {
                                try (BufferedWriter w =
                                        new BufferedWriter(
                                                new OutputStreamWriter(
                                                        process.getOutputStream(),
                                                        StandardCharsets.UTF_8))) {
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
            try (BufferedReader r =
                    new BufferedReader(
                            new InputStreamReader(
                                    process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    JsonNode n = JSON.readTree(line);
                    List<String> images = new ArrayList<>();
                    n.path("images").forEach(i -> images.add(i.asText()));
                    List<int[]> onbuild = new ArrayList<>();
                    n.path("onbuild")
                            .forEach(
                                    i ->
                                            onbuild.add(
                                                    new int[] {
                                                        i.get(0).asInt(), i.get(1).asInt()
                                                    }));
                    out.add(
                            new Output(
                                    n.path("name").asText(),
                                    Optional.ofNullable(n.get("syntax")).map(JsonNode::asText),
                                    images,
                                    onbuild,
                                    Optional.ofNullable(n.get("error")).map(JsonNode::asText)));
                }
            }
            writer.join();
            if (!process.waitFor(1, TimeUnit.MINUTES)
                    || process.exitValue() != 0
                    || out.size() != inputs.size()) {
                throw new IllegalStateException(
                        "tools/buildkit-refs answered "
                                + out.size()
                                + " of "
                                + inputs.size()
                                + " inputs (exit "
                                + (process.isAlive() ? "none" : process.exitValue())
                                + ")");
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
