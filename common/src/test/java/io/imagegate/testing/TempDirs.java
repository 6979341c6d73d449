package io.imagegate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary directories that outlive a test method (a hermetic home handed to an API instance,
 * which may still be used after the method's own {@code @TempDir} is gone) and are deleted, with
 * everything in them, when the test JVM exits: a full build leaves none behind.
 */
public final class TempDirs {
    private static final List<Path> CREATED = new ArrayList<>();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(TempDirs::deleteAll, "imagegate-test-temp-dirs"));
    }

    private TempDirs() {}

    /** A new directory in the system's temporary directory, deleted at exit. */
    public static synchronized Path create(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            CREATED.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void deleteAll() {
        for (Path dir : CREATED) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // already gone, or unreadable: nothing more a test JVM can do about it
            }
        }
        CREATED.clear();
    }
}
