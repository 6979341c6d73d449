package io.imagegate.dockerfile;

import io.imagegate.message.Field;
import io.imagegate.message.ImageGateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** Finding and reading Dockerfiles: paths and glob patterns expanded, files read as text. */
public final class DockerfileFiles {
    private DockerfileFiles() {}

    /**
     * Expands Dockerfile paths and glob patterns ({@code **}/Dockerfile, {@code
     * docker/*.Dockerfile}) relative to {@code base}, sorted; a pattern that matches nothing is an
     * error (a gate that checks nothing must not pass).
     */
    public static List<Path> expand(Path base, List<String> patterns) {
        List<Path> out = new ArrayList<>();
        for (String pattern : patterns) {
            try {
                out.addAll(expand(base, pattern));
            } catch (java.nio.file.InvalidPathException e) {
                throw ImageGateException.usage(
                        Field.DOCKERFILES,
                        "dockerfiles.bad-path",
                        "\"{0}\" ({1}) is not a valid path: {2}",
                        pattern,
                        Field.DOCKERFILES,
                        e.getReason());
            }
        }
        return out.stream().distinct().toList();
    }

    private static List<Path> expand(Path base, String pattern) {
        List<Path> out = new ArrayList<>();
        {
            if (!pattern.contains("*")
                    && !pattern.contains("?")
                    && !pattern.contains("[")
                    && !pattern.contains("{")) {
                out.add(base.resolve(pattern));
                return out;
            }
            // Walk from the pattern's literal directory prefix; match the rest against paths
            // relative to it.
            int firstGlob =
                    IntStream.range(0, pattern.length())
                            .filter(i -> "*?[{".indexOf(pattern.charAt(i)) >= 0)
                            .findFirst()
                            .orElse(pattern.length());
            int slash = pattern.lastIndexOf('/', firstGlob);
            Path root =
                    slash < 0 ? base : base.resolve(slash == 0 ? "/" : pattern.substring(0, slash));
            String rest = pattern.substring(slash + 1);
            PathMatcher matcher;
            PathMatcher top;
            try {
                matcher = root.getFileSystem().getPathMatcher("glob:" + rest);
                // "**/x" should also match x at the top: glob's ** needs at least one directory
                // otherwise.
                top =
                        rest.startsWith("**/")
                                ? root.getFileSystem().getPathMatcher("glob:" + rest.substring(3))
                                : matcher;
            } catch (RuntimeException e) {
                throw ImageGateException.usage(
                        Field.DOCKERFILES,
                        "dockerfiles.bad-pattern",
                        "\"{0}\" ({1}) is not a valid glob pattern",
                        pattern,
                        Field.DOCKERFILES);
            }
            List<Path> matched;
            try (Stream<Path> files = Files.walk(root)) {
                matched =
                        files.filter(Files::isRegularFile)
                                .filter(
                                        f ->
                                                matcher.matches(root.relativize(f))
                                                        || top.matches(root.relativize(f)))
                                .sorted()
                                .toList();
            } catch (IOException | java.io.UncheckedIOException e) {
                Throwable cause = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
                throw ImageGateException.configuration(
                        "dockerfiles.search",
                        "cannot search {0} for {1}: {2}",
                        base,
                        pattern,
                        cause instanceof java.nio.file.AccessDeniedException denied
                                ? denied.getFile() + " cannot be read"
                                : String.valueOf(cause.getMessage()));
            }
            if (matched.isEmpty()) {
                throw ImageGateException.usage(
                        Field.DOCKERFILES,
                        "dockerfiles.no-match",
                        "no Dockerfile matches \"{0}\" under {1}",
                        pattern,
                        base);
            }
            out.addAll(matched);
        }
        return out;
    }

    /**
     * The largest Dockerfile read: real ones are kilobytes; BuildKit itself refuses any line over
     * 64 KiB.
     */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    /**
     * Reads a Dockerfile as UTF-8 text. Refused, naming the file: anything but a regular file (a
     * FIFO would block forever, a device never end), a file over {@link #MAX_BYTES}, bytes that are
     * not UTF-8.
     */
    public static String read(Path file) {
        BasicFileAttributes attributes;
        try {
            attributes =
                    Files.readAttributes(file, BasicFileAttributes.class); // follows symbolic links
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    "dockerfiles.unreadable",
                    "cannot read the Dockerfile {0}: {1}",
                    file,
                    String.valueOf(e.getMessage()));
        }
        if (!attributes.isRegularFile()) {
            throw ImageGateException.configuration(
                    "dockerfiles.not-a-file",
                    "{0} is {1}, not a Dockerfile; give the path of a regular file",
                    file,
                    attributes.isDirectory() ? "a directory" : "a FIFO, socket or device");
        }
        if (attributes.size() > MAX_BYTES) {
            throw tooLarge(file);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw ImageGateException.configuration(
                    "dockerfiles.unreadable",
                    "cannot read the Dockerfile {0}: {1}",
                    file,
                    String.valueOf(e.getMessage()));
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(file);
        }
        return decode(file, bytes);
    }

    /** Strict UTF-8: a file that is not text is refused with the offset of its first bad byte. */
    static String decode(Path file, byte[] bytes) {
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw ImageGateException.configuration(
                    "dockerfiles.not-utf8",
                    "{0} is not UTF-8 text (byte {1} is not valid UTF-8); a"
                            + " Dockerfile is UTF-8 text",
                    file,
                    in.position());
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static ImageGateException tooLarge(Path file) {
        return ImageGateException.configuration(
                "dockerfiles.too-large",
                "{0} is larger than {1} bytes (4 MiB), the most imagegate reads"
                        + " as a Dockerfile",
                file,
                MAX_BYTES);
    }
}
