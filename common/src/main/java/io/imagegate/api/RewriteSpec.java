package io.imagegate.api;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Operation;
import java.util.List;

/**
 * Rewrite Dockerfile references to the private registry.
 *
 * @param files Dockerfiles, or glob patterns
 * @param map mapping rules ({@code SRC_PREFIX=DST_PREFIX}, first match wins)
 * @param pin pin each reference to the digest its tag holds in the private registry
 * @param pinPlatform with {@code pin}: pin this platform's manifest instead of the index; null for
 *     the index
 * @param check change nothing: report what would change, and fail for every reference that needs an
 *     edit by hand
 * @param buildArgs {@code KEY=VALUE} build args: the files are read with the ARG defaults and with
 *     these, and a change must be right for both
 */
public record RewriteSpec(
        List<String> files,
        List<String> map,
        boolean pin,
        String pinPlatform,
        boolean check,
        List<String> buildArgs)
        implements Spec {
    public RewriteSpec {
        files = Specs.copy(files);
        map = Specs.copy(map);
        buildArgs = Specs.copy(buildArgs);
    }

    /** Without build args: the files as a build with the ARG defaults reads them. */
    public RewriteSpec(
            List<String> files, List<String> map, boolean pin, String pinPlatform, boolean check) {
        this(files, map, pin, pinPlatform, check, List.of());
    }

    @Override
    public Operation operation() {
        return Operation.REWRITE;
    }

    @Override
    public void validate() {
        Specs.nonEmpty(Field.DOCKERFILES, files);
        Specs.nonEmpty(Field.MAP, map);
        io.imagegate.mapping.ImageMapping.parse(map);
        if (pinPlatform != null && !pinPlatform.isBlank() && !pin) {
            throw ImageGateException.usage(
                    Field.PIN_PLATFORM,
                    "rewrite.pin-platform-without-pin",
                    "a platform to pin ({0}) needs" + " pinning ({1})",
                    Field.PIN_PLATFORM,
                    Field.PIN);
        }
        Inputs.platform(Field.PIN_PLATFORM, pinPlatform);
        Inputs.keyValues(Field.BUILD_ARG, buildArgs);
    }
}
