package io.imagegate.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a real Maven build (the Maven that runs this build: {@code maven.home}, as the wrapper
 * installed it) on a project copied from {@code src/it}, with the plugin from the isolated
 * repository {@code target/it-repo} and everything else from the user's repository through a {@code
 * file:} mirror, so no build reaches the internet.
 */
final class MavenBuild {
    /** What a build did: its exit code and its whole output. */
    record Result(int exitCode, String log, Path directory) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path IT_SOURCES = MODULE.resolve("src/it");
    private static final Path WORK = MODULE.resolve("target/it");

    private MavenBuild() {}

    static String pluginVersion() {
        return required("imagegate.plugin.version");
    }

    /**
     * {@code mvn} of the Maven that runs this build; a missing one fails the test (it never skips).
     */
    static Path mvn() {
        Path mvn = Path.of(required("maven.home"), "bin", "mvn");
        if (!Files.isExecutable(mvn)) {
            throw new IllegalStateException(
                    "no Maven at " + mvn + " (maven.home); the integration tests run real builds");
        }
        return mvn;
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(
                    "the system property "
                            + property
                            + " is not set: run the integration tests with"
                            + " ./mvnw verify (failsafe sets it)");
        }
        return value;
    }

    /**
     * Copies {@code src/it/<name>} to {@code target/it/<name>} (fresh), replacing {@code @token@}s
     * in every file.
     */
    static Path project(String name, Map<String, String> tokens) {
        Path from = IT_SOURCES.resolve(name);
        Path to = WORK.resolve(name);
        try {
            delete(to);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : files.sorted().toList()) {
                    Path target = to.resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        String text = Files.readString(file);
                        text = text.replace("@project.version@", pluginVersion());
                        for (Map.Entry<String, String> token : tokens.entrySet()) {
                            text = text.replace("@" + token.getKey() + "@", token.getValue());
                        }
                        Files.writeString(target, text);
                    }
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A settings.xml for the builds: the isolated repository, the plugin group, the mirror, and
     * {@code extra} XML.
     */
    static Path settings(Path file, String extra) {
        String userRepo = required("imagegate.user.repo");
        String xml =
                """
                <settings>
                  <localRepository>%s</localRepository>
                  <pluginGroups>
                    <pluginGroup>io.imagegate</pluginGroup>
                  </pluginGroups>
                  <mirrors>
                    <mirror>
                      <id>user-repository</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                %s</settings>
                """
                        .formatted(required("imagegate.it.repo"), Path.of(userRepo).toUri(), extra);
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code mvn -B -s settings args…} in {@code directory}; the output goes to {@code
     * build.log} beside it.
     */
    static Result run(Path directory, Path settings, Path home, String... args) {
        List<String> command =
                new ArrayList<>(List.of(mvn().toString(), "-B", "-ntp", "-s", settings.toString()));
        command.addAll(List.of(args));
        Path log =
                directory.resolveSibling(
                        directory.getFileName()
                                + "-"
                                + Math.abs((long) String.join(" ", args).hashCode())
                                + ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(directory.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        // Short builds: C1 only and the serial collector start Maven fastest on two cores. A home
        // of its own keeps the
        // machine's Docker config and Maven settings out.
        builder.environment()
                .put(
                        "MAVEN_OPTS",
                        "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Duser.home="
                                + home);
        builder.environment().remove("MAVEN_ARGS");
        builder.environment().remove("DOCKER_CONFIG");
        try {
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "mvn "
                                + String.join(" ", args)
                                + " did not finish within 5 minutes:\n"
                                + Files.readString(log));
            }
            return new Result(
                    process.exitValue(), Files.readString(log, StandardCharsets.UTF_8), directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
