package io.imagegate.api;

import io.imagegate.message.Field;
import io.imagegate.message.Operation;
import java.util.List;

/**
 * List every image the Dockerfiles use.
 *
 * @param files Dockerfiles, or glob patterns relative to the working directory
 * @param buildArgs {@code KEY=VALUE} build args
 * @param platforms target platforms for the automatic platform args (empty: linux/amd64)
 * @param verify ask the registries whether each tag written beside a digest still holds that digest
 */
public record RefsSpec(
        List<String> files, List<String> buildArgs, List<String> platforms, boolean verify)
        implements Spec {
    public RefsSpec {
        files = Specs.copy(files);
        buildArgs = Specs.copy(buildArgs);
        platforms = Specs.copy(platforms);
    }

    @Override
    public Operation operation() {
        return Operation.REFS;
    }

    @Override
    public void validate() {
        Specs.nonEmpty(Field.DOCKERFILES, files);
        Inputs.keyValues(Field.BUILD_ARG, buildArgs);
        Inputs.platforms(Field.PLATFORM, platforms);
    }
}
