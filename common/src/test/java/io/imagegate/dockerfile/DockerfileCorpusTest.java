package io.imagegate.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.mapping.ImageMapping;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Dockerfile corpus under {@code src/test/resources/dockerfiles}: each {@code X.Dockerfile}
 * comes with {@code X.refs} (one expected reference per line: {@code line:col-endLine:endCol KIND
 * written -> normalized} or {@code -> ERROR <message part>}) or {@code X.error} (the message
 * BuildKit's rules demand). A first comment line {@code # args: K=V …} passes build args.
 */
class DockerfileCorpusTest {
    private static final Path CORPUS = Path.of("src/test/resources/dockerfiles");

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".Dockerfile"))
                    .map(n -> n.substring(0, n.length() - ".Dockerfile".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    private static String describe(ImageRef ref) {
        return ref.line()
                + ":"
                + ref.column()
                + "-"
                + ref.endLine()
                + ":"
                + ref.endColumn()
                + " "
                + ref.kind()
                + " "
                + ref.written()
                + " -> "
                + ref.reference()
                        .map(Object::toString)
                        .orElse(
                                "ERROR "
                                        + ref.error()
                                                .map(
                                                        e ->
                                                                e.render(
                                                                        io.imagegate.message
                                                                                .Vocabulary
                                                                                .NEUTRAL))
                                                .orElse(""));
    }

    /**
     * The golden rewrite, idempotence, and untouched bytes: only lines holding a reference (or its
     * ARG default) change.
     */
    private static void checkRewrite(Path dockerfile, String text, String golden) {
        ImageMapping mapping = ImageMapping.parse(List.of("=registry.example.com/mirror"));
        DockerfileRewriter.Result once =
                DockerfileRewriter.rewrite(dockerfile, text, mapping, Optional.empty());
        assertThat(once.rewritten()).isEqualTo(golden);
        assertThat(
                        DockerfileRewriter.rewrite(
                                        dockerfile, once.rewritten(), mapping, Optional.empty())
                                .changed())
                .isFalse();
        java.util.Set<Integer> changedLines = new java.util.HashSet<>();
        once.changes().stream()
                .filter(c -> c.replacement().isPresent())
                .forEach(c -> changedLines.add(c.ref().line()));
        String[] before = text.split("\n", -1);
        String[] after = once.rewritten().split("\n", -1);
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.length; i++) {
            if (!changedLines.contains(i + 1)) {
                assertThat(after[i]).as("line %d is untouched", i + 1).isEqualTo(before[i]);
            }
        }
        for (ImageRef ref :
                DockerfileReader.read(dockerfile, once.rewritten(), Map.of(), Optional.empty())) {
            boolean rewritten =
                    once.changes().stream()
                            .anyMatch(
                                    c ->
                                            c.replacement().isPresent()
                                                    && c.ref().line() == ref.line());
            if (rewritten && ref.reference().isPresent()) {
                assertThat(ref.reference().get().name()).startsWith("registry.example.com/mirror/");
            }
        }
    }

    /** The build args of a first line {@code # args: K=V …}. */
    static Map<String, String> buildArgs(String text) {
        Map<String, String> args = new HashMap<>();
        String first = text.lines().findFirst().orElse("");
        if (first.startsWith("# args:")) {
            for (String pair : first.substring("# args:".length()).strip().split("\\s+")) {
                args.put(
                        pair.substring(0, pair.indexOf('=')),
                        pair.substring(pair.indexOf('=') + 1));
            }
        }
        return args;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void corpus(String name) throws IOException {
        Path dockerfile = CORPUS.resolve(name + ".Dockerfile");
        String text = Files.readString(dockerfile, StandardCharsets.UTF_8);
        Map<String, String> args = buildArgs(text);
        Path errorFile = CORPUS.resolve(name + ".error");
        if (Files.exists(errorFile)) {
            String expected = Files.readString(errorFile).strip();
            assertThatThrownBy(
                            () -> DockerfileReader.read(dockerfile, text, args, Optional.empty()))
                    .isInstanceOf(DockerfileException.class)
                    .hasMessageStartingWith(
                            dockerfile + ":" + expected.substring(0, expected.indexOf(':')) + ":")
                    .hasMessageContaining(expected.substring(expected.indexOf(':') + 2));
            return;
        }
        List<String> expected =
                Files.readString(CORPUS.resolve(name + ".refs"))
                        .lines()
                        .filter(l -> !l.isBlank())
                        .toList();
        checkRewrite(
                dockerfile,
                text,
                Files.readString(CORPUS.resolve(name + ".rewritten"), StandardCharsets.UTF_8));
        List<ImageRef> refs = DockerfileReader.read(dockerfile, text, args, Optional.empty());
        assertThat(refs).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            String want = expected.get(i);
            String got = describe(refs.get(i));
            if (want.contains(" -> ERROR ")) {
                assertThat(got)
                        .startsWith(
                                want.substring(
                                        0, want.indexOf(" -> ERROR ") + " -> ERROR ".length()))
                        .contains(
                                want.substring(want.indexOf(" -> ERROR ") + " -> ERROR ".length()));
            } else {
                assertThat(got).isEqualTo(want);
            }
        }
    }
}
