package io.imagegate.testing;

import io.imagegate.api.Outcome;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.Field;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A front end as the {@link FacadeContract} drives it: each method runs one operation through the
 * front end's own binding code (its options, parameters or arguments) and reports what came out, in
 * the API's terms.
 */
public interface FrontEnd {
    /** What an operation ended with, as the front end saw it. */
    record Observed(Outcome outcome, Optional<ErrorKind> error, Optional<Field> field) {
        public static Observed of(io.imagegate.api.OperationResult result) {
            return new Observed(
                    result.outcome(),
                    result.error().map(e -> e.kind()),
                    result.error().flatMap(e -> e.field()));
        }
    }

    /** Scanning runs offline against this Trivy cache (the project's fixture DB). */
    record ScanSetup(Path cacheDir) {}

    Observed importImage(String source, String target);

    Observed scan(String image, Path policy, ScanSetup setup);

    Observed vet(String source, String target, Path policy, ScanSetup setup);

    /**
     * Gates the Dockerfile {@code dockerfile} (relative to {@code workDir}) against one trusted
     * prefix.
     */
    Observed gate(Path workDir, String dockerfile, String trusted, boolean requireVetted);
}
