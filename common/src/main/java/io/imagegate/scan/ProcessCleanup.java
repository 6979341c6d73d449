package io.imagegate.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * What must not outlive imagegate, even when it is stopped by SIGINT or SIGTERM: child processes (with their
 * descendants) and temporary directories that may hold credentials (a scan's per-run Docker config). A JVM
 * shutdown hook kills and deletes whatever is still registered.
 */
final class ProcessCleanup {
    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessCleanup::runAll, "imagegate-cleanup"));
    }

    private ProcessCleanup() {
    }

    static void register(Process process) {
        PROCESSES.add(process);
    }

    static void unregister(Process process) {
        PROCESSES.remove(process);
    }

    static void register(Path directory) {
        DIRECTORIES.add(directory);
    }

    /** Deletes the directory now and forgets it. */
    static void delete(Path directory) {
        deleteTree(directory);
        DIRECTORIES.remove(directory);
    }

    private static void runAll() {
        List<ProcessHandle> killed = kill(List.copyOf(PROCESSES));
        // The credentials go first, in case imagegate is killed outright while it waits.
        for (Path directory : List.copyOf(DIRECTORIES)) {
            deleteTree(directory);
        }
        // Waited for, so that nothing of them is left once imagegate's own exit is seen.
        awaitGone(killed, Duration.ofSeconds(3));
    }

    /**
     * Kills the processes and their descendants, and waits until they are gone, for at most {@code bound} in all: killing
     * is asynchronous.
     */
    static void killTrees(List<Process> processes, Duration bound) {
        awaitGone(kill(processes), bound);
    }

    private static List<ProcessHandle> kill(List<Process> processes) {
        List<ProcessHandle> killed = new ArrayList<>();
        for (Process process : processes) {
            process.descendants().forEach(killed::add);
            killed.add(process.toHandle());
        }
        killed.forEach(ProcessHandle::destroyForcibly);
        return killed;
    }

    private static void awaitGone(List<ProcessHandle> killed, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        for (ProcessHandle handle : killed) {
            try {
                handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // still going after SIGKILL (or not yet reaped): nothing more we can do
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }
}
