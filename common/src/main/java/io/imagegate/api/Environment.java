package io.imagegate.api;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The machine an operation runs on, as the front end sees it: environment variables (for
 * credentials named by variable, {@code DOCKER_CONFIG}, {@code PATH}, {@code TRIVY_PATH}), the home
 * directory (Docker's config, the default caches), the working directory (relative paths and glob
 * patterns), and where temporary files go. The library reads none of these from the JVM itself, so
 * a Jenkins controller can hand an agent's view to work that runs there.
 */
public record Environment(
        Map<String, String> variables,
        String homeDirectory,
        String workingDirectory,
        String tempDirectory)
        implements Serializable {
    public Environment {
        variables =
                java.util.Collections.unmodifiableMap(
                        new TreeMap<>(Objects.requireNonNull(variables, "variables")));
        Objects.requireNonNull(homeDirectory, "homeDirectory");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(tempDirectory, "tempDirectory");
    }

    public static Environment of(
            Map<String, String> variables,
            String home,
            String workingDirectory,
            String tempDirectory) {
        return new Environment(variables, home, workingDirectory, tempDirectory);
    }

    public String variable(String name) {
        return variables.get(name);
    }

    /** The same environment in another working directory. */
    public Environment inDirectory(String directory) {
        return new Environment(variables, homeDirectory, directory, tempDirectory);
    }

    /** Variables are not shown: they may hold secrets. */
    @Override
    public String toString() {
        return "Environment[home="
                + homeDirectory
                + ", workingDirectory="
                + workingDirectory
                + ", "
                + variables.size()
                + " variables]";
    }
}
