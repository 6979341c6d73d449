package io.imagegate.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a POM writes Jib's base image, to the character. */
class PomImagesTest {
    private static final Path POM = Path.of("pom.xml");

    @Test
    void findsTheImageThroughAPropertyAndTheJibPropertyWithExactSpans() {
        String text =
                """
                <project>
                  <properties>
                    <base.image> r.example/base/app:1 </base.image>
                    <jib.from.image>docker://r.example/base/jdk:21</jib.from.image>
                  </properties>
                  <build><pluginManagement><plugins><plugin>
                    <artifactId>jib-maven-plugin</artifactId>
                    <executions><execution><configuration>
                      <from><image>${base.image}</image></from>
                    </configuration></execution></executions>
                  </plugin></plugins></pluginManagement></build>
                </project>
                """;

        List<PomImages.Site> sites = PomImages.read(POM, text);

        assertThat(sites).hasSize(2);
        PomImages.Site property = sites.get(0);
        assertThat(property.what()).contains("<base.image>").contains("jib-maven-plugin");
        assertThat(property.line()).isEqualTo(3);
        assertThat(text.substring(property.start(), property.end()))
                .isEqualTo("r.example/base/app:1");
        PomImages.Site jib = sites.get(1);
        assertThat(jib.scheme()).isEqualTo("docker://");
        assertThat(text.substring(jib.start(), jib.end())).isEqualTo("r.example/base/jdk:21");
    }

    @Test
    void aPropertySetElsewhereOrMarkupIsAProblemNotAGuess() {
        String text =
                "<project><build><plugins>"
                        + "<plugin><artifactId>jib-maven-plugin</artifactId><configuration><from>"
                        + "<image>${parent.image}</image></from></configuration></plugin>"
                        + "<plugin><artifactId>jib-maven-plugin</artifactId><executions><execution>"
                        + "<configuration><from><image>r.example/a:1&amp;</image></from>"
                        + "</configuration></execution></executions></plugin>"
                        + "</plugins></build></project>";

        List<PomImages.Site> sites = PomImages.read(POM, text);

        assertThat(sites).hasSize(2).allMatch(s -> s.problem().isPresent());
        assertThat(sites.get(0).problem().get().toString()).contains("do not set");
        assertThat(sites.get(1).problem().get().toString()).contains("entity");
    }

    @Test
    void otherPluginsAndCommentsAreNotRead() {
        String text =
                "<project><!-- <image>r.example/x:1</image> --><build><plugins><plugin>"
                        + "<artifactId>maven-jar-plugin</artifactId><configuration><from>"
                        + "<image>r.example/y:1</image></from></configuration></plugin>"
                        + "</plugins></build></project>";

        assertThat(PomImages.read(POM, text)).isEmpty();
    }
}
