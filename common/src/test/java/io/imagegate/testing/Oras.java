package io.imagegate.testing;

import java.nio.file.Path;

/**
 * The ORAS CLI ({@code oras.land/oras}, installed pinned by scripts/setup with {@code go install}),
 * as an independent OCI client: what it sees of imagegate's verdicts, any OCI tool sees. A missing
 * binary fails the tests.
 */
public final class Oras {
    private Oras() {}

    private static final ToolProcess ORAS =
            new ToolProcess(
                    "oras", "IMAGEGATE_ORAS_BIN", "go install oras.land/oras/cmd/oras@v1.3.0");

    /**
     * {@code IMAGEGATE_ORAS_BIN}, else {@code oras} on the PATH, else {@code $GOBIN} or {@code
     * ~/go/bin}.
     */
    public static Path binary() {
        return ORAS.binary();
    }

    /** Runs {@code oras ARGS…} and returns its stdout; a non-zero exit fails with its output. */
    public static String run(String... args) {
        return ORAS.run(null, java.util.Map.of(), args);
    }
}
