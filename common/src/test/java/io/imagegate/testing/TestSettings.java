package io.imagegate.testing;

import io.imagegate.api.Environment;
import io.imagegate.api.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Hermetic {@link Settings} for tests: the process's PATH (for Trivy and credential helpers), an
 * empty home directory of its own (no Docker config of the machine's leaks in), and the given
 * working directory.
 */
public final class TestSettings {
    private TestSettings() {}

    public static Settings in(Path workingDirectory) {
        return in(workingDirectory, Map.of());
    }

    /** With these variables added to (or, when mapped to null, removed from) the environment. */
    public static Settings in(Path workingDirectory, Map<String, String> extra) {
        Path home = TempDirs.create("imagegate-test-home-");
        Map<String, String> vars = new HashMap<>();
        String path = System.getenv("PATH");
        if (path != null) {
            vars.put("PATH", path);
        }
        extra.forEach(
                (k, v) -> {
                    if (v == null) {
                        vars.remove(k);
                    } else {
                        vars.put(k, v);
                    }
                });
        return Settings.of(
                Environment.of(
                        vars,
                        home.toString(),
                        workingDirectory.toAbsolutePath().toString(),
                        System.getProperty("java.io.tmpdir")));
    }
}
