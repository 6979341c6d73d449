package io.imagegate.api;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.io.Serializable;
import java.util.List;

/**
 * Which images a build uses and where mapping rules put them in the private registry: what import
 * and vet do when they follow a project instead of being given one image.
 *
 * @param files Dockerfiles, or glob patterns (a pattern matching nothing is an error); may be empty
 * @param images images configured outside Dockerfiles (Jib's base image)
 * @param buildArgs {@code KEY=VALUE} build args
 * @param platforms target platforms for the automatic platform args
 * @param map mapping rules ({@code SRC_PREFIX=DST_PREFIX}, first match wins), as for import and
 *     rewrite; empty to list the images as the build uses them (a scan), without private names
 */
public record ImportPlanSpec(
        List<String> files,
        List<ImageSource> images,
        List<String> buildArgs,
        List<String> platforms,
        List<String> map)
        implements Serializable {
    public ImportPlanSpec {
        files = Specs.copy(files);
        images = images == null ? List.of() : List.copyOf(images);
        buildArgs = Specs.copy(buildArgs);
        platforms = Specs.copy(platforms);
        map = Specs.copy(map);
    }

    /** Throws a {@link ErrorKind#USAGE} error naming the offending {@link Field}. */
    public void validate() {
        if (files.isEmpty() && images.isEmpty()) {
            throw ImageGateException.usage(
                    Field.DOCKERFILES,
                    "plan.nothing",
                    "give the Dockerfiles ({0}) or images whose images to" + " follow",
                    Field.DOCKERFILES);
        }
        io.imagegate.mapping.ImageMapping.parse(map);
        Inputs.keyValues(Field.BUILD_ARG, buildArgs);
        Inputs.platforms(Field.PLATFORM, platforms);
    }
}
