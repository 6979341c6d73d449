package io.imagegate.vetting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a rule's filter selects from a listing. */
class TagRulesTest {
    static final List<String> LISTED =
            List.of(
                    "3.18.0",
                    "3.19.0",
                    "3.19.1",
                    "3.20",
                    "3.20.0-rc.1",
                    "3.20-alpine",
                    "3.21.0",
                    "v3.21.1",
                    "4.0.0",
                    "edge",
                    "latest",
                    "3.21.1-rc1",
                    "20240101");

    private static List<String> select(
            String semver, List<String> allow, List<String> deny, Integer latest) {
        return TagRules.select(new TagRules.Filter(semver, allow, deny, latest), LISTED).tags();
    }

    @Test
    void semverSelectsReleasesInTheRangeOldestFirst() {
        assertThat(select(">=3.19.0 <4", null, null, null))
                .containsExactly("3.19.0", "3.19.1", "3.20", "3.21.0", "v3.21.1");
        // pre-releases only where the range names one of the same release
        assertThat(select(">=3.20.0-rc.1 <3.21", null, null, null))
                .containsExactly("3.20.0-rc.1", "3.20");
    }

    @Test
    void allowAndDenyMatchTheWholeTagAndDenyWins() {
        assertThat(select(null, List.of("3\\.2\\d.*"), null, null))
                .containsExactly("3.20-alpine", "3.20.0-rc.1", "3.20", "3.21.0", "3.21.1-rc1");
        assertThat(select(null, List.of("3\\.2\\d.*"), List.of(".*-.*"), null))
                .containsExactly("3.20", "3.21.0");
        // a part of the tag is not the tag: "3.2" matches no tag whole
        assertThat(select(null, List.of("3.2"), null, null)).isEmpty();
        assertThat(select(null, List.of("edge|latest"), List.of("latest"), null))
                .containsExactly("edge");
    }

    @Test
    void latestKeepsTheNewestVersionsAndSaysWhatItCouldNotOrder() {
        assertThat(select(">=3.19.0 <4", null, null, 2)).containsExactly("3.21.0", "v3.21.1");
        TagRules.Selection s =
                TagRules.select(
                        new TagRules.Filter(null, List.of("3\\.19.*", "edge", "latest"), null, 1),
                        LISTED);
        assertThat(s.tags()).containsExactly("3.19.1");
        assertThat(s.unordered()).containsExactly("edge", "latest");
        // a date tag reads as a version (one number), and orders as one
        assertThat(select(null, List.of("\\d+"), null, 1)).containsExactly("20240101");
        assertThat(select(">=99 <100", null, null, 3)).isEmpty();
    }
}
