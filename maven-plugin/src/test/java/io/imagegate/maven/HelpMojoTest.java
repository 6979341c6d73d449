package io.imagegate.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * {@code mvn registry:help} shows descriptions as text, as {@code help:describe} does: the markup
 * examples escaped in the Javadoc (so that help:describe keeps them) read as {@code <image>}, not
 * {@code &lt;image&gt;}.
 */
class HelpMojoTest {
    private static String help(String goal, boolean detail) throws Exception {
        try (InputStream in = HelpMojo.class.getResourceAsStream("/META-INF/maven/plugin.xml")) {
            assertThat(in).as("the generated descriptor").isNotNull();
            return HelpMojo.render(in, goal, detail, 80, 2);
        }
    }

    @Test
    void detailShowsTheMarkupExamplesAsWrittenAndNoEntity() throws Exception {
        String gate = help("gate", true);
        assertThat(gate)
                .contains("registry:gate")
                .contains("Available parameters:")
                .contains("(<from><image>,")
                .contains("User property: registry.trusted")
                .contains("Required: Yes")
                .doesNotContain("&lt;")
                .doesNotContain("&gt;")
                .doesNotContain("&amp;");
        assertThat(help("import", true))
                .contains("<image><source>")
                .doesNotContain("&lt;")
                .doesNotContain("&amp;");
    }

    @Test
    void withoutAGoalEveryGoalIsListedAndLinesAreWrapped() throws Exception {
        String all = help(null, false);
        assertThat(all)
                .contains("registry:import")
                .contains("registry:gate")
                .contains("registry:help")
                .doesNotContain("Available parameters:");
        assertThat(all.lines())
                .as("wrapped at 80, but for a single word longer than that")
                .allSatisfy(
                        line ->
                                assertThat(line.length() <= 80 || !line.strip().contains(" "))
                                        .as(line)
                                        .isTrue());
        assertThat(help("nope", false)).contains("No goal nope");
    }

    @Test
    void entitiesAreReadOnceAndTagsDropped() {
        assertThat(HelpMojo.asText("a <code>&lt;map&gt;</code> &amp;lt; b"))
                .isEqualTo("a <map> &lt; b");
    }
}
