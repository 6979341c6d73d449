package io.imagegate.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ORAS CLI ({@code oras.land/oras}, installed pinned by scripts/setup with {@code go install}), as an independent
 * OCI client: what it sees of imagegate's verdicts, any OCI tool sees. A missing binary fails the tests.
 */
public final class Oras {
    private Oras() {
    }

    /** {@code IMAGEGATE_ORAS_BIN}, else {@code oras} on the PATH, else {@code $GOBIN} or {@code ~/go/bin}. */
    public static Path binary() {
        return ToolProcess.binary("IMAGEGATE_ORAS_BIN", "oras", "run scripts/setup (go install oras.land/oras/cmd/oras@v1.3.0)");
    }

    /** Runs {@code oras ARGS…} and returns its stdout; a non-zero exit fails with its output. */
    public static String run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(List.of(args));
        return ToolProcess.run(command, Map.of(), null, Duration.ofSeconds(60));
    }
}
