package io.imagegate.dockerfile;

import io.imagegate.api.Field;
import io.imagegate.api.ImageGateException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** Finding and reading Dockerfiles: paths and glob patterns expanded, files read as text. */
public final class DockerfileFiles {
    private DockerfileFiles() {
    }

    /**
     * Expands Dockerfile paths and glob patterns ({@code **}/Dockerfile, {@code docker/*.Dockerfile}) relative to
     * {@code base}, sorted; a pattern that matches nothing is an error (a gate that checks nothing must not pass).
     */
    public static List<Path> expand(Path base, List<String> patterns) {
        List<Path> out = new ArrayList<>();
        for (String pattern : patterns) {
            if (!pattern.contains("*") && !pattern.contains("?") && !pattern.contains("[") && !pattern.contains("{")) {
                out.add(base.resolve(pattern));
                continue;
            }
            // Walk from the pattern's literal directory prefix; match the rest against paths relative to it.
            int firstGlob = IntStream.range(0, pattern.length()).filter(i -> "*?[{".indexOf(pattern.charAt(i)) >= 0)
                    .findFirst().orElse(pattern.length());
            int slash = pattern.lastIndexOf('/', firstGlob);
            Path root = slash < 0 ? base : base.resolve(slash == 0 ? "/" : pattern.substring(0, slash));
            String rest = pattern.substring(slash + 1);
            PathMatcher matcher;
            PathMatcher top;
            try {
                matcher = root.getFileSystem().getPathMatcher("glob:" + rest);
                // "**/x" should also match x at the top: glob's ** needs at least one directory otherwise.
                top = rest.startsWith("**/") ? root.getFileSystem().getPathMatcher("glob:" + rest.substring(3)) : matcher;
            } catch (RuntimeException e) {
                throw ImageGateException.usage(Field.DOCKERFILES, "dockerfiles.bad-pattern", "\"{0}\" ({1}) is not a valid glob pattern",
                        pattern, Field.DOCKERFILES);
            }
            List<Path> matched;
            try (Stream<Path> files = Files.walk(root)) {
                matched = files.filter(Files::isRegularFile)
                        .filter(f -> matcher.matches(root.relativize(f)) || top.matches(root.relativize(f)))
                        .sorted().toList();
            } catch (IOException | java.io.UncheckedIOException e) {
                throw ImageGateException.configuration("dockerfiles.search", "cannot search {0} for {1}: {2}", base, pattern,
                        String.valueOf(e.getMessage()));
            }
            if (matched.isEmpty()) {
                throw ImageGateException.usage(Field.DOCKERFILES, "dockerfiles.no-match", "no Dockerfile matches \"{0}\" under {1}",
                        pattern, base);
            }
            out.addAll(matched);
        }
        return out.stream().distinct().toList();
    }

    /** Reads a Dockerfile as text. */
    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw ImageGateException.configuration("dockerfiles.unreadable", "cannot read the Dockerfile {0}: {1}", file,
                    String.valueOf(e.getMessage()));
        }
    }
}
