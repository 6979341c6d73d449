package io.imagegate.scan;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child process with a time limit: stdout and stderr drained on their own threads (a full
 * pipe would otherwise block the child), and at the limit the child is killed with its descendants.
 */
final class BoundedProcess {
    /** How much of stderr to keep for error messages (Trivy's FATAL line is at the end). */
    private static final int TAIL = 8 * 1024;

    /** What we read from a child's stdout (Trivy writes reports to files; its stdout is small). */
    private static final int STDOUT_LIMIT = 16 * 1024 * 1024;

    record Outcome(int exitCode, String stdout, String stderrTail) {
        /** The last non-blank stderr line, for one-line messages. */
        String lastErrorLine() {
            List<String> lines = stderrTail.strip().lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
        }
    }

    private BoundedProcess() {}

    static Outcome run(
            List<String> command,
            Path workingDirectory,
            Map<String, String> environment,
            Duration timeout,
            String what) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = ProcessCleanup.start(builder);
        } catch (IOException e) {
            throw ImageGateException.of(
                    ErrorKind.TOOL_FAILURE,
                    "process.start",
                    "cannot start {0} ({1}): {2}",
                    what,
                    command.get(0),
                    String.valueOf(e.getMessage()));
        }
        try {
            return await(process, timeout, what);
        } finally {
            ProcessCleanup.unregister(process);
        }
    }

    private static Outcome await(Process process, Duration timeout, String what) {
        closeQuietly(process);
        Drain stdout = new Drain(process.getInputStream(), STDOUT_LIMIT);
        Drain stderr = new Drain(process.getErrorStream(), TAIL);
        stdout.start();
        stderr.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                ProcessCleanup.killTrees(List.of(process), Duration.ofSeconds(5));
                stderr.join(2000);
                throw ImageGateException.of(
                        ErrorKind.TRANSIENT,
                        "process.timeout",
                        "{0} did not finish within {1}s and was killed{2}",
                        what,
                        String.format(java.util.Locale.ROOT, "%.1f", timeout.toMillis() / 1000.0),
                        stderr.text().isBlank()
                                ? ""
                                : "; its last output: "
                                        + new Outcome(-1, "", stderr.text()).lastErrorLine());
            }
            // A descendant that outlives the process may hold its pipes open for ever: its output
            // is not waited for.
            stdout.join(5000);
            stderr.join(5000);
        } catch (InterruptedException e) {
            ProcessCleanup.killTrees(List.of(process), Duration.ofSeconds(5));
            Thread.currentThread().interrupt();
            throw ImageGateException.of(
                    ErrorKind.INTERRUPTED, "process.interrupted", "{0} was interrupted", what);
        }
        return new Outcome(process.exitValue(), stdout.text(), stderr.text());
    }

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close(); // the child reads nothing from us
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Reads a stream to the end, keeping at most the last {@code limit} bytes. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private final int limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        Drain(InputStream in, int limit) {
            super("imagegate-process-drain");
            setDaemon(true);
            this.in = in;
            this.limit = limit;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (kept) {
                        kept.write(buffer, 0, n);
                        if (kept.size() > 2 * limit) {
                            byte[] all = kept.toByteArray();
                            kept.reset();
                            kept.write(all, all.length - limit, limit);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process went away
            }
        }

        String text() {
            synchronized (kept) {
                byte[] all = kept.toByteArray();
                int from = Math.max(0, all.length - limit);
                return new String(all, from, all.length - from, StandardCharsets.UTF_8);
            }
        }
    }
}
