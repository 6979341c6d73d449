package io.imagegate.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * What must not outlive imagegate, even when it is stopped by SIGINT or SIGTERM: child processes
 * (with their descendants) and temporary directories that may hold credentials (a scan's per-run
 * Docker config). A JVM shutdown hook kills and deletes whatever is still registered.
 */
final class ProcessCleanup {
    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

    /**
     * Held while a process or directory is made and registered, and while the hook takes the lists.
     */
    private static final Object LOCK = new Object();

    /** Set by the hook: nothing is started or made after it. Guarded by {@link #LOCK}. */
    private static boolean stopping;

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(ProcessCleanup::runAll, "imagegate-cleanup"));
    }

    private ProcessCleanup() {}

    /**
     * Starts the process and registers it in one step: a signal that comes meanwhile finds it
     * registered (the child may already be running before {@code start} returns), and once the hook
     * has run nothing more is started.
     */
    static Process start(ProcessBuilder builder) throws IOException {
        synchronized (LOCK) {
            if (stopping) {
                throw new IOException("imagegate is stopping");
            }
            Process process = builder.start();
            PROCESSES.add(process);
            return process;
        }
    }

    static void unregister(Process process) {
        PROCESSES.remove(process);
    }

    /**
     * Makes a private temporary directory under {@code root} and registers it in one step, as
     * {@link #start} does.
     */
    static Path createTempDirectory(Path root, String prefix) throws IOException {
        synchronized (LOCK) {
            if (stopping) {
                throw new IOException("imagegate is stopping");
            }
            Path dir =
                    Files.createTempDirectory(
                            root,
                            prefix,
                            PosixFilePermissions.asFileAttribute(
                                    PosixFilePermissions.fromString("rwx------")));
            DIRECTORIES.add(dir);
            return dir;
        }
    }

    /** Deletes the directory now and forgets it. */
    static void delete(Path directory) {
        deleteTree(directory);
        DIRECTORIES.remove(directory);
    }

    private static void runAll() {
        List<Process> processes;
        List<Path> directories;
        synchronized (LOCK) {
            stopping = true;
            processes = List.copyOf(PROCESSES);
            directories = List.copyOf(DIRECTORIES);
        }
        List<ProcessHandle> descendants = kill(processes);
        // The credentials go first, in case imagegate is killed outright while it waits.
        for (Path directory : directories) {
            deleteTree(directory);
        }
        // Waited for, so that nothing of them is left once imagegate's own exit is seen.
        awaitGone(processes, descendants, Duration.ofSeconds(3));
    }

    /**
     * Kills the processes and their descendants, and waits until they are gone, for at most {@code
     * bound}: killing is asynchronous.
     */
    static void killTrees(List<Process> processes, Duration bound) {
        awaitGone(processes, kill(processes), bound);
    }

    /** Sends SIGKILL to the processes and their descendants; returns the descendants. */
    private static List<ProcessHandle> kill(List<Process> processes) {
        List<ProcessHandle> descendants = new ArrayList<>();
        for (Process process : processes) {
            process.descendants().forEach(descendants::add);
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        processes.forEach(Process::destroyForcibly);
        return descendants;
    }

    /**
     * Waits, within {@code bound} in all, for our children through {@link Process}, which reaps
     * them (a child that is only waited for through its handle stays a zombie, and a zombie counts
     * as alive), then for their descendants, which are not ours to reap: their init does that.
     */
    private static void awaitGone(
            List<Process> processes, List<ProcessHandle> descendants, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            for (Process process : processes) {
                process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            for (ProcessHandle handle : descendants) {
                try {
                    handle.onExit()
                            .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    // killed, and not yet reaped by its parent: nothing more we can do
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
