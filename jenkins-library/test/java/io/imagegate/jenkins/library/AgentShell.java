package io.imagegate.jenkins.library;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code sh} on an agent, for real: the whole script run by a shell in the workspace, with the
 * agent's PATH, a home of its own and what withCredentials bound; stderr (with {@code -x}, the
 * shell's trace) into the console, stdout returned.
 */
final class AgentShell {
    private AgentShell() {}

    /**
     * @param shell the shell and its options before the script, e.g. {@code /bin/sh -xe} as
     *     Jenkins' durable task runs it
     */
    static Pipeline.Ran run(
            List<String> shell,
            String script,
            Map<String, String> bound,
            Path workspace,
            Path home) {
        try {
            List<String> command = new ArrayList<>(shell);
            command.add("-c");
            command.add(script);
            ProcessBuilder pb = new ProcessBuilder(command).directory(workspace.toFile());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> !k.equals("PATH") && !k.equals("JAVA_HOME"));
            env.put("HOME", home.toString());
            env.putAll(bound);
            Path stdout = Files.createTempFile(home, "stdout", ".txt");
            Path stderr = Files.createTempFile(home, "stderr", ".txt");
            try {
                pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
                Process process = pb.start();
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("timed out: " + script);
                }
                Files.readString(stderr, StandardCharsets.UTF_8)
                        .lines()
                        .forEach(Pipeline.log.console::add);
                return new Pipeline.Ran(
                        process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(stdout);
                Files.deleteIfExists(stderr);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
