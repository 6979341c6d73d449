package io.imagegate.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.api.ModuleReports.Format;
import java.util.EnumSet;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

/**
 * {@code <formats>} chooses the module aggregate's formats: default all, any case and spacing; an
 * unknown or empty one fails the goal before it does anything, naming the parameter.
 */
class FormatsTest {
    private static List<AbstractScanningMojo> goals() {
        return List.of(
                new ScanMojo(MavenContractTest.MavenFrontEnd.NO_DECRYPTION),
                new VetMojo(MavenContractTest.MavenFrontEnd.NO_DECRYPTION));
    }

    @Test
    void readsTheFormatsGivenAndDefaultsToAll() throws Exception {
        for (AbstractScanningMojo mojo : goals()) {
            assertThat(mojo.formats()).isEqualTo(EnumSet.allOf(Format.class));
            mojo.formats = " SARIF , junit";
            assertThat(mojo.formats()).containsExactly(Format.SARIF, Format.JUNIT);
        }
    }

    @Test
    void anUnknownFormatFailsTheGoalBeforeItDoesAnything() {
        for (String given : new String[] {"json,pdf", "json,", "xml"}) {
            for (AbstractScanningMojo mojo : goals()) {
                mojo.formats = given;
                String bad = given.equals("json,") ? "" : given.replace("json,", "");
                assertThatThrownBy(mojo::execute)
                        .as(mojo.goal() + " formats = " + given)
                        .isInstanceOf(MojoExecutionException.class)
                        .hasMessageStartingWith(
                                "<formats>/-Dregistry.formats: \""
                                        + bad
                                        + "\" is not a report format")
                        .hasNoCause();
                assertThat(mojo.results).isEmpty();
            }
        }
    }
}
