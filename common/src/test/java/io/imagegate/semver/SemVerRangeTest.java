package io.imagegate.semver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ranges as npm's node-semver reads them (cases from its range tests), and tags as versions. */
class SemVerRangeTest {
    private static boolean matches(String range, String tag) {
        return SemVerRange.parse(range).test(SemVer.ofTag(tag).orElseThrow());
    }

    @ParameterizedTest(name = "{0} includes {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "1.0.0 - 2.0.0; 1.2.3",
                "1.0.0 - 2.0.0; 2.0.0",
                "1.2 - 2.3.4; 1.2.0",
                "1.2.3 - 2.3; 2.3.9",
                "1.2.3 - 2; 2.99.0",
                "^1.2.3+build; 1.3.0",
                "1.2.3; 1.2.3",
                "v1.2.3; 1.2.3",
                "=1.2.3; 1.2.3",
                ">=1.2.3; 1.2.3",
                ">= 1.2.3; 1.3.0",
                ">1.2.3; 1.2.4",
                "<1.2.3; 1.2.2",
                "<=1.2.3; 1.2.3",
                "*; 1.2.3",
                "'' ; 1.0.0",
                "x; 0.0.1",
                "1.x; 1.9.9",
                "1.2.x; 1.2.9",
                "1.2.*; 1.2.0",
                "1; 1.0.0",
                "2; 2.9.9",
                "1.2; 1.2.3",
                ">1; 2.0.0",
                ">1.2; 1.3.0",
                "<=1.2; 1.2.99",
                "<2; 1.99.99",
                "~1.2.3; 1.2.9",
                "~1.2; 1.2.0",
                "~1; 1.9.0",
                "~>1.2.3; 1.2.5",
                "~1.2.1 >=1.2.3; 1.2.3",
                "~0.0.1; 0.0.2",
                "^1.2.3; 1.8.1",
                "^0.1.2; 0.1.9",
                "^0.0.1; 0.0.1",
                "^0; 0.9.9",
                "^0.0; 0.0.9",
                "^1.x; 1.9.0",
                "^0.x; 0.1.0",
                "^1.2.3-beta.2; 1.2.3-beta.4",
                "^1.2.3-beta.2; 1.9.0",
                "~1.2.3-beta.2; 1.2.3-beta.4",
                ">=1.2.3-rc.1 <2; 1.2.3-rc.2",
                ">=1.2.3-rc.1 <2; 1.2.3",
                "1.2.3-rc.1; 1.2.3-rc.1",
                "1.0.0 || 2.0.0; 2.0.0",
                "<1.0.0 || >=2.1; 2.1.0",
                ">=3.19.0 <4; 3.19.0",
                ">=3.19.0 <4; 3.20",
                ">=3.19.0 <4; v3.99.1",
                ">=20.04; 22.04",
            })
    void includes(String range, String tag) {
        assertThat(matches(range, tag)).isTrue();
    }

    @ParameterizedTest(name = "{0} excludes {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "1.0.0 - 2.0.0; 2.2.3",
                "1.0.0 - 2.0.0; 0.9.9",
                "1.2.3 - 2.3; 2.4.0",
                "^1.2.3+build; 2.0.0",
                "^1.2.3; 1.2.2",
                "^1.2.3; 2.0.0-0",
                "1.2.3; 1.2.4",
                ">=1.2.3; 1.2.2",
                ">1.2.3; 1.2.3",
                "<1.2.3; 1.2.3",
                "<1.2.3; 1.2.3-beta",
                "=1.2.3; 1.2.4",
                "1.x; 2.0.0",
                "1.2.x; 1.3.0",
                "1; 2.0.0",
                "1.2; 1.3.0",
                ">1; 1.9.9",
                ">1.2; 1.2.9",
                "<=1.2; 1.3.0",
                "<2; 2.0.0",
                "<2; 2.0.0-alpha",
                "~1.2.3; 1.3.0",
                "~1.2; 1.3.0",
                "~1; 2.0.0",
                "~0.0.1; 0.1.0",
                "^0.1.2; 0.2.0",
                "^0.0.1; 0.0.2",
                "^0; 1.0.0",
                "^0.0; 0.1.0",
                "^1.2.3-beta.2; 1.2.3-beta.1",
                "^1.2.3-beta.2; 1.3.0-beta",
                "~1.2.3-beta.2; 1.2.4-beta.2",
                ">=1.2.3-rc.1 <2; 1.2.4-rc.1",
                ">=1.2.3-rc.1 <2; 1.2.3-alpha",
                ">=3.19.0 <4; 3.20.0-rc.1",
                ">=3.19.0 <4; 3.20-alpine",
                ">=3.19.0 <4; 4.0.0",
                ">=3.19.0 <4; 3.18.9",
                "*; 1.2.3-rc.1",
                ">*; 1.0.0",
                "<*; 1.0.0",
                "1.0.0 || 2.0.0; 1.5.0",
                "<1.0.0 || >=2.1; 2.0.9",
            })
    void excludes(String range, String tag) {
        assertThat(matches(range, tag)).isFalse();
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource(
            delimiter = ';',
            value = {
                ">=3.19.0 <foo",
                ">=",
                "1.2.3.4",
                "~~1",
                "1.2.3 - 2 - 3",
                ">=1.2.3 <<2",
                "latest",
            })
    void refusesWhatIsNotARange(String range) {
        assertThatThrownBy(() -> SemVerRange.parse(range))
                .isInstanceOf(SemVerRange.InvalidRangeException.class)
                .hasMessageContaining("\"");
    }

    @Test
    void refusesRangesBeyondTheBounds() {
        assertThatThrownBy(() -> SemVerRange.parse("1".repeat(SemVerRange.MAX_LENGTH + 1)))
                .isInstanceOf(SemVerRange.InvalidRangeException.class)
                .hasMessageContaining("longer than");
        String many = String.join(" || ", java.util.Collections.nCopies(65, "1.2.3"));
        assertThatThrownBy(() -> SemVerRange.parse(many))
                .isInstanceOf(SemVerRange.InvalidRangeException.class)
                .hasMessageContaining("comparators");
        assertThatThrownBy(() -> SemVerRange.parse(null))
                .isInstanceOf(SemVerRange.InvalidRangeException.class);
    }

    @Test
    void tagsAreVersionsWhenTheyReadAsOne() {
        assertThat(SemVer.ofTag("3.20").orElseThrow())
                .satisfies(
                        v -> {
                            assertThat(v.major()).isEqualTo(3);
                            assertThat(v.minor()).isEqualTo(20);
                            assertThat(v.patch()).isZero();
                            assertThat(v.text()).isEqualTo("3.20");
                        });
        assertThat(SemVer.ofTag("v1.2.3").orElseThrow().precedence(SemVer.ofTag("1.2.3").get()))
                .isZero();
        assertThat(SemVer.ofTag("3.20-alpine").orElseThrow().prerelease())
                .containsExactly("alpine");
        assertThat(SemVer.ofTag("1.2.3+build.5").orElseThrow().isPrerelease()).isFalse();
        for (String notAVersion :
                List.of(
                        "latest",
                        "edge",
                        "1.2.3.4",
                        "sha256-abc",
                        "v",
                        "1.",
                        "1..2",
                        "1234567890123456",
                        "3.20_alpine")) {
            assertThat(SemVer.ofTag(notAVersion)).as(notAVersion).isEmpty();
        }
        assertThat(SemVer.parse("3.20")).isEmpty();
        assertThat(SemVer.parse("01.2.3")).isEmpty();
        assertThat(SemVer.parse("1.2.3-rc.1+b")).isPresent();
    }

    @Test
    void versionsOrderAsSemverOrdersThem() {
        List<String> sorted =
                Stream.of(
                                "1.0.0",
                                "1.0.0-rc.1",
                                "1.0.0-beta.11",
                                "1.0.0-beta.2",
                                "1.0.0-beta",
                                "1.0.0-alpha.beta",
                                "1.0.0-alpha.1",
                                "1.0.0-alpha",
                                "0.9",
                                "v1.0.1",
                                "1.10.0",
                                "1.9.0",
                                "999999999999999.0.0")
                        .map(t -> SemVer.ofTag(t).orElseThrow())
                        .sorted()
                        .map(SemVer::text)
                        .toList();
        assertThat(sorted)
                .containsExactly(
                        "0.9",
                        "1.0.0-alpha",
                        "1.0.0-alpha.1",
                        "1.0.0-alpha.beta",
                        "1.0.0-beta",
                        "1.0.0-beta.2",
                        "1.0.0-beta.11",
                        "1.0.0-rc.1",
                        "1.0.0",
                        "v1.0.1",
                        "1.9.0",
                        "1.10.0",
                        "999999999999999.0.0");
        // the same version written two ways: adjacent, in a fixed order
        assertThat(
                        Stream.of("3.20.0", "3.20", "3.19")
                                .map(t -> SemVer.ofTag(t).orElseThrow())
                                .sorted()
                                .map(SemVer::text))
                .containsExactly("3.19", "3.20", "3.20.0");
    }
}
