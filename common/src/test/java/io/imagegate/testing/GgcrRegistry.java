package io.imagegate.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * go-containerregistry's registry ({@code tools/ggcr-registry}: {@code pkg/registry} of the pinned
 * module with the OCI 1.1 referrers API on), anonymous plain HTTP with in-memory storage on a free
 * loopback port: a second registry implementation, independent of the CNCF distribution registry of
 * {@link RegistryExtension}, to test imagegate's readers of referrers against. Its quirks
 * (artifactType is the config's media type, no artifactType filtering, no OCI-Subject header, 404
 * for a repository with no manifest) are listed in the tool's main.go.
 *
 * <p>Built once per version of its sources into {@code ~/.cache/imagegate/ggcr-registry/<hash>/}
 * ({@link GoTool}); a missing Go toolchain fails the tests, it never skips them. Writes no files;
 * {@link #close()} ends the process and waits for it. The process also exits by itself when this
 * JVM dies (it watches its stdin).
 */
public final class GgcrRegistry implements AutoCloseable {
    /**
     * How long the started process may take to report its address (the build before it is bounded
     * separately).
     */
    static final Duration STARTUP = Duration.ofSeconds(30);

    private static final int LOG_LINES = 200;
    private static final Pattern LISTENING =
            Pattern.compile("listening (127\\.0\\.0\\.1:[0-9]{1,5})");

    private final Process process;
    private final String hostPort;
    private final Deque<String> log = new ArrayDeque<>();

    /**
     * Builds the tool if its sources changed, starts it and returns once it accepts connections.
     */
    public GgcrRegistry() {
        Path binary = GoTool.binary("tools/ggcr-registry", "ggcr-registry");
        try {
            // stdin stays an open pipe: the tool exits when it closes, so it cannot outlive a
            // killed JVM
            process =
                    new ProcessBuilder(
                                    binary.toString(), "-addr", "127.0.0.1:0", "-exit-on-stdin-eof")
                            .redirectErrorStream(true)
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> address = new CompletableFuture<>();
        Thread reader = new Thread(() -> drain(address), "ggcr-registry-output");
        reader.setDaemon(true);
        reader.start();
        try {
            hostPort = address.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            stop();
            String why =
                    e instanceof TimeoutException
                            ? "did not report its address within " + STARTUP.toSeconds() + " s"
                            : "exited (status "
                                    + (process.isAlive() ? "unknown" : process.exitValue())
                                    + ") before reporting its address";
            throw new IllegalStateException(
                    "tools/ggcr-registry " + why + "; its output:\n" + log(), e);
        } catch (InterruptedException e) {
            stop();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting tools/ggcr-registry", e);
        }
    }

    /**
     * Reads the process's output to its end: the first "listening" line completes {@code address},
     * the rest is kept.
     */
    private void drain(CompletableFuture<String> address) {
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                var m = LISTENING.matcher(line);
                if (!address.isDone() && m.matches()) {
                    address.complete(m.group(1));
                    continue;
                }
                synchronized (log) {
                    if (log.size() == LOG_LINES) {
                        log.removeFirst();
                    }
                    log.addLast(line);
                }
            }
        } catch (IOException e) {
            address.completeExceptionally(e);
        }
        address.completeExceptionally(new IllegalStateException("end of output"));
    }

    /** {@code 127.0.0.1:PORT}. */
    public String hostPort() {
        return hostPort;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI baseUri() {
        return URI.create("http://" + hostPort);
    }

    /** The last lines the registry logged (one per request, and any error), oldest first. */
    public String log() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    /** Ends the process and waits for it; idempotent. */
    @Override
    public void close() {
        stop();
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the pipe to a process that is gone
        }
    }
}
