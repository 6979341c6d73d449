package io.imagegate.dockerfile;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Dockerfile corpus under {@code src/test/resources/dockerfiles}: each {@code X.Dockerfile} comes with
 * {@code X.refs} (one expected reference per line: {@code line:col-endLine:endCol KIND written -> normalized}
 * or {@code -> ERROR <message part>}) or {@code X.error} (the message BuildKit's rules demand). A first
 * comment line {@code # args: K=V …} passes build args.
 */
class DockerfileCorpusTest {
    private static final Path CORPUS = Path.of("src/test/resources/dockerfiles");

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".Dockerfile"))
                    .map(n -> n.substring(0, n.length() - ".Dockerfile".length())).sorted().toList().stream();
        }
    }

    private static String describe(ImageRef ref) {
        return ref.line() + ":" + ref.column() + "-" + ref.endLine() + ":" + ref.endColumn() + " " + ref.kind() + " " + ref.written()
                + " -> " + ref.reference().map(Object::toString).orElse("ERROR " + ref.error().orElse(""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void corpus(String name) throws IOException {
        Path dockerfile = CORPUS.resolve(name + ".Dockerfile");
        String text = Files.readString(dockerfile, StandardCharsets.UTF_8);
        Map<String, String> args = new HashMap<>();
        String first = text.lines().findFirst().orElse("");
        if (first.startsWith("# args:")) {
            for (String pair : first.substring("# args:".length()).strip().split("\\s+")) {
                args.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        Path errorFile = CORPUS.resolve(name + ".error");
        if (Files.exists(errorFile)) {
            String expected = Files.readString(errorFile).strip();
            assertThatThrownBy(() -> DockerfileReader.read(dockerfile, text, args, Optional.empty()))
                    .isInstanceOf(DockerfileException.class)
                    .hasMessageStartingWith(dockerfile + ":" + expected.substring(0, expected.indexOf(':')) + ":")
                    .hasMessageContaining(expected.substring(expected.indexOf(':') + 2));
            return;
        }
        List<String> expected = Files.readString(CORPUS.resolve(name + ".refs")).lines().filter(l -> !l.isBlank()).toList();
        List<ImageRef> refs = DockerfileReader.read(dockerfile, text, args, Optional.empty());
        assertThat(refs).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            String want = expected.get(i);
            String got = describe(refs.get(i));
            if (want.contains(" -> ERROR ")) {
                assertThat(got).startsWith(want.substring(0, want.indexOf(" -> ERROR ") + " -> ERROR ".length()))
                        .contains(want.substring(want.indexOf(" -> ERROR ") + " -> ERROR ".length()));
            } else {
                assertThat(got).isEqualTo(want);
            }
        }
    }
}
