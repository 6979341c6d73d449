package io.imagegate.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.imagegate.mapping.ImageMapping;
import io.imagegate.message.ImageGateException;
import io.imagegate.reference.ImageReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzzing the Dockerfile reader and rewriter. The reader returns references whose spans hold what
 * they say was written, or refuses the file with a {@link DockerfileException}: nothing else. The
 * rewriter changes only the references it reports, reading the result gives the mapped references,
 * and rewriting again changes nothing. Seeds and past crashes:
 * src/test/resources/io/imagegate/dockerfile/DockerfileFuzzTestInputs/.
 */
class DockerfileFuzzTest {
    private static final Path FILE = Path.of("Dockerfile");
    private static final ImageMapping MAPPING =
            ImageMapping.parse(List.of("=registry.example.com/mirror"));

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    private static List<ImageRef> read(String text) {
        try {
            return DockerfileReader.read(FILE, text, Map.of(), Optional.empty());
        } catch (DockerfileException e) {
            return null;
        }
    }

    @FuzzTest(maxDuration = "5s")
    void reader(byte[] data) {
        String text = text(data);
        List<ImageRef> refs = read(text);
        if (refs == null) {
            return;
        }
        List<String> lines =
                DockerfileRewriter.lines(text.startsWith("\uFEFF") ? text.substring(1) : text);
        for (ImageRef ref : refs) {
            assertThat(ref.line()).isBetween(1, lines.size());
            assertThat(ref.endLine()).isBetween(ref.line(), lines.size());
            assertThat(ref.reference().isPresent()).isNotEqualTo(ref.error().isPresent());
            if (ref.line() == ref.endLine()
                    && ref.endColumn() - ref.column() == ref.written().length()) {
                String line =
                        text(data).startsWith("\uFEFF") && ref.line() == 1
                                ? lines.get(0)
                                : lines.get(ref.line() - 1);
                assertThat(line.substring(ref.column() - 1)).startsWith(ref.written());
            }
        }
    }

    @FuzzTest(maxDuration = "5s")
    void rewriter(byte[] data) {
        String text = text(data);
        if (read(text) == null) {
            return;
        }
        DockerfileRewriter.Result once;
        try {
            once = DockerfileRewriter.rewrite(FILE, text, MAPPING, Optional.empty());
        } catch (ImageGateException e) {
            // Read back, the rewrite would change what another line names: refused, not written.
            assertThat(e.message().code()).isEqualTo("rewrite.unverified");
            return;
        }
        List<ImageRef> after =
                DockerfileReader.read(FILE, once.rewritten(), Map.of(), Optional.empty());
        for (DockerfileRewriter.Change change : once.changes()) {
            if (change.replacement().isEmpty()) {
                continue;
            }
            if (change.replacement().get().contains("$")) {
                // A templated tag: its repository is the mapped one, whatever the variables say.
                assertThat(after)
                        .as("line %d names the mirror", change.ref().line())
                        .anySatisfy(
                                r -> {
                                    assertThat(r.line()).isEqualTo(change.ref().line());
                                    assertThat(r.reference().orElseThrow().name())
                                            .startsWith("registry.example.com/mirror/");
                                });
                continue;
            }
            ImageReference mapped = ImageReference.parse(change.replacement().get());
            assertThat(after)
                    .as("a reference on line %d is %s", change.ref().line(), mapped)
                    .anySatisfy(r -> assertThat(r.reference()).contains(mapped));
        }
        assertThat(
                        DockerfileRewriter.rewrite(
                                        FILE, once.rewritten(), MAPPING, Optional.empty())
                                .rewritten())
                .isEqualTo(once.rewritten());
        List<String> before = DockerfileRewriter.lines(text);
        List<String> rewritten = DockerfileRewriter.lines(once.rewritten());
        assertThat(rewritten).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            int line = i + 1;
            if (once.changes().stream()
                    .noneMatch(c -> c.replacement().isPresent() && c.ref().line() == line)) {
                assertThat(rewritten.get(i)).as("line %d", line).isEqualTo(before.get(i));
            }
        }
    }
}
