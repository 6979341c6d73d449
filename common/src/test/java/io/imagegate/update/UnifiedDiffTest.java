package io.imagegate.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.message.ImageGateException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The patch's shape, which git apply checks line by line. */
class UnifiedDiffTest {
    private static final Path BASE = Path.of("/work/project");

    private static Plan.FileEdit edit(String file, String before, String after) {
        return new Plan.FileEdit(
                BASE.resolve(file),
                Plan.Kind.DOCKERFILE,
                before,
                after,
                Updater.changedLines(before, after));
    }

    @Test
    void keepsCrLfAndMarksALastLineWithoutNewline() {
        String patch =
                UnifiedDiff.of(
                        BASE,
                        List.of(
                                edit(
                                        "sub/Dockerfile",
                                        "a\r\nFROM x:1\r\nb",
                                        "a\r\nFROM x:2\r\nb")));

        assertThat(patch)
                .isEqualTo(
                        "diff --git a/sub/Dockerfile b/sub/Dockerfile\n"
                                + "--- a/sub/Dockerfile\n"
                                + "+++ b/sub/Dockerfile\n"
                                + "@@ -1,3 +1,3 @@\n"
                                + " a\r\n"
                                + "-FROM x:1\r\n"
                                + "+FROM x:2\r\n"
                                + " b\n\\ No newline at end of file\n");
    }

    @Test
    void changesFarApartAreHunksOfTheirOwn() {
        StringBuilder before = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            before.append("line ").append(i).append('\n');
        }
        String after =
                before.toString().replace("line 2\n", "LINE 2\n").replace("line 19\n", "LINE 19\n");

        String patch = UnifiedDiff.of(BASE, List.of(edit("Dockerfile", before.toString(), after)));

        assertThat(patch).contains("@@ -1,5 +1,5 @@\n").contains("@@ -16,5 +16,5 @@\n");
    }

    @Test
    void aFileOutsideTheBaseIsRefused() {
        assertThatThrownBy(
                        () ->
                                UnifiedDiff.of(
                                        BASE,
                                        List.of(
                                                new Plan.FileEdit(
                                                        Path.of("/elsewhere/Dockerfile"),
                                                        Plan.Kind.DOCKERFILE,
                                                        "a\n",
                                                        "b\n",
                                                        List.of(1)))))
                .isInstanceOf(ImageGateException.class)
                .hasMessageContaining("outside");
    }
}
