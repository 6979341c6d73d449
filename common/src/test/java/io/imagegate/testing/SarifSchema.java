package io.imagegate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The official SARIF 2.1.0 JSON schema, as shipped in the npm package {@code @microsoft/jest-sarif}
 * (pinned), fetched with {@code npm pack} into {@code ~/.cache/imagegate/sarif} on first use. A
 * missing npm fails the tests; it never skips them.
 */
public final class SarifSchema {
    private static final String PACKAGE = "@microsoft/jest-sarif@1.0.0-beta.0";
    private static final String FILE = "package/lib/schemas/sarif-2.1.0-rtm.5.json";

    private SarifSchema() {}

    public static synchronized Path path() {
        String base =
                System.getenv()
                        .getOrDefault(
                                "XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache");
        Path dir = Path.of(base, "imagegate", "sarif", "jest-sarif-1.0.0-beta.0");
        Path schema = dir.resolve(FILE);
        if (Files.isRegularFile(schema)) {
            return schema;
        }
        try {
            Files.createDirectories(dir);
            run(dir, "npm", "pack", PACKAGE, "--silent");
            run(dir, "sh", "-c", "tar xzf microsoft-jest-sarif-*.tgz " + FILE);
            if (!Files.isRegularFile(schema)) {
                throw new IllegalStateException(PACKAGE + " no longer holds " + FILE);
            }
            return schema;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Path dir, String... command) throws IOException {
        Process p;
        try {
            p =
                    new ProcessBuilder(command)
                            .directory(dir.toFile())
                            .redirectErrorStream(true)
                            .start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "fetching the SARIF schema needs "
                            + command[0]
                            + " (Node.js/npm): "
                            + e.getMessage(),
                    e);
        }
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
