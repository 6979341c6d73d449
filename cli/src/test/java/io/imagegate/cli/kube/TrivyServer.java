package io.imagegate.cli.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code trivy server} on the loopback interface, over a DB cache, with a token: what the
 * examples' Trivy Deployment runs, standing in for its Service ({@code http://trivy:4954}).
 */
public final class TrivyServer implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final String url;

    private TrivyServer(Process process, Path log, String url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    /** Starts it over {@code cacheDir} (never updated) and waits until it accepts connections. */
    public static TrivyServer start(Path cacheDir, String token, Path dir) {
        String trivy = System.getenv("TRIVY_PATH");
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path log = dir.resolve("trivy-server.log");
            ProcessBuilder builder =
                    new ProcessBuilder(
                                    trivy == null || trivy.isBlank() ? "trivy" : trivy,
                                    "server",
                                    "--listen",
                                    "127.0.0.1:" + port,
                                    "--cache-dir",
                                    cacheDir.toString(),
                                    "--skip-db-update")
                            .directory(dir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile());
            // the token through the environment, as the Deployment passes it
            builder.environment().put("TRIVY_TOKEN", token);
            Process process = builder.start();
            TrivyServer server = new TrivyServer(process, log, "http://127.0.0.1:" + port);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && process.isAlive()) {
                try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    return server;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            server.close();
            throw new IllegalStateException(
                    "trivy server did not start: " + Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return url;
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
