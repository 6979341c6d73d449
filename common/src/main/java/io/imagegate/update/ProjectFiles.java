package io.imagegate.update;

import io.imagegate.dockerfile.DockerfileFiles;
import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files an update reads: Dockerfiles and POMs named, matched by glob patterns, or found in
 * directories (walked without following symbolic links, build output and VCS directories left out),
 * and their text, read with bounds.
 */
public final class ProjectFiles {
    /** The most files a directory walk collects: a repository's build files, not a disk. */
    public static final int MAX_FILES = 10_000;

    private static final int MAX_DEPTH = 32;

    private static final Set<String> SKIPPED_DIRECTORIES =
            Set.of("target", "node_modules", "build", "out");

    private ProjectFiles() {}

    /** A file and what it is. */
    public record Found(Path file, Plan.Kind kind) {}

    /** The files {@code paths} name, in order, each once. */
    public static List<Found> expand(Path base, List<String> paths) {
        List<Found> out = new ArrayList<>();
        for (String given : paths) {
            Path path;
            try {
                path = base.resolve(given).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                throw ImageGateException.usage(
                        Field.DOCKERFILES,
                        "update.bad-path",
                        "\"{0}\" ({1}) is not a valid path: {2}",
                        given,
                        Field.DOCKERFILES,
                        e.getReason());
            }
            if (Files.isDirectory(path)) {
                List<Found> found = walk(path);
                if (found.isEmpty()) {
                    throw ImageGateException.usage(
                            Field.DOCKERFILES,
                            "update.nothing-found",
                            "{0} holds no Dockerfile and no pom.xml; give the directory of a"
                                    + " project, or the files",
                            path);
                }
                found.stream().filter(f -> !out.contains(f)).forEach(out::add);
            } else {
                for (Path file : DockerfileFiles.expand(base, List.of(given))) {
                    Found f = new Found(file, kind(file));
                    if (!out.contains(f)) {
                        out.add(f);
                    }
                }
            }
        }
        return out;
    }

    /** A {@code pom.xml} (or {@code *.pom}) is a POM; anything else named is a Dockerfile. */
    static Plan.Kind kind(Path file) {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        return name.equals("pom.xml") || name.endsWith(".pom")
                ? Plan.Kind.POM
                : Plan.Kind.DOCKERFILE;
    }

    private static boolean wanted(Path file) {
        String name = String.valueOf(file.getFileName());
        String lower = name.toLowerCase(Locale.ROOT);
        return name.equals("pom.xml")
                || lower.equals("dockerfile")
                || lower.equals("containerfile")
                || lower.endsWith(".dockerfile")
                || lower.startsWith("dockerfile.");
    }

    private static List<Found> walk(Path root) {
        List<Found> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root, MAX_DEPTH)) {
            files.filter(
                            f ->
                                    !f.equals(root)
                                            && root.relativize(f).getNameCount() > 0
                                            && !skipped(root.relativize(f)))
                    .filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .filter(ProjectFiles::wanted)
                    .sorted()
                    .forEach(
                            f -> {
                                if (out.size() >= MAX_FILES) {
                                    throw ImageGateException.configuration(
                                            "update.too-many-files",
                                            "{0} holds more than {1} Dockerfiles and POMs; give"
                                                    + " the project''s directories or files",
                                            root,
                                            MAX_FILES);
                                }
                                out.add(new Found(f, kind(f)));
                            });
        } catch (IOException | UncheckedIOException e) {
            throw ImageGateException.configuration(
                    "update.search",
                    "cannot search {0}: {1}",
                    root,
                    String.valueOf(e.getMessage()));
        }
        return out;
    }

    /** A directory imagegate never looks in: VCS and hidden ones, build output. */
    private static boolean skipped(Path relative) {
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            String part = relative.getName(i).toString();
            if (part.startsWith(".") || SKIPPED_DIRECTORIES.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** The largest file read, as for Dockerfiles. */
    public static final int MAX_BYTES = DockerfileFiles.MAX_BYTES;

    /**
     * Reads a file as UTF-8 text. Refused, naming the file: anything but a regular file, a file
     * over {@link #MAX_BYTES}, bytes that are not UTF-8.
     */
    public static String read(Found found) {
        if (found.kind() == Plan.Kind.DOCKERFILE) {
            return DockerfileFiles.read(found.file());
        }
        Path file = found.file();
        byte[] bytes;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw ImageGateException.configuration(
                        "update.not-a-file", "{0} is not a regular file; give a pom.xml", file);
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    "update.unreadable",
                    "cannot read {0}: {1}",
                    file,
                    String.valueOf(e.getMessage()));
        }
        if (bytes.length > MAX_BYTES) {
            throw ImageGateException.configuration(
                    "update.too-large",
                    "{0} is larger than {1} bytes, the most imagegate reads as a POM",
                    file,
                    MAX_BYTES);
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ImageGateException.configuration(
                    "update.not-utf8",
                    "{0} is not UTF-8 text; imagegate updates POMs written in UTF-8",
                    file);
        }
    }
}
