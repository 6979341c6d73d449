package io.imagegate.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
        for (Process process : List.copyOf(PROCESSES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (Path directory : List.copyOf(DIRECTORIES)) {
            deleteTree(directory);
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
