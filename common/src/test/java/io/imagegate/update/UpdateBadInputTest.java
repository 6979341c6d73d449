package io.imagegate.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.ImageGate;
import io.imagegate.api.Outcome;
import io.imagegate.api.UpdateResult;
import io.imagegate.api.UpdateSpec;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.Vocabulary;
import io.imagegate.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file that cannot be read fails the update naming it, before any registry is asked. */
class UpdateBadInputTest {
    @TempDir Path dir;

    private UpdateResult update(String... paths) {
        return ImageGate.create(TestSettings.in(dir))
                .update(
                        UpdateSpec.builder()
                                .paths(List.of(paths))
                                .trusted(List.of("127.0.0.1:1/base"))
                                .anyPolicy(true)
                                .build(),
                        Vocabulary.NEUTRAL);
    }

    @Test
    void anUnparseablePomIsAnErrorNamingTheFileAndLineAndNothingIsWritten() throws IOException {
        String dockerfile = "FROM 127.0.0.1:1/base/app:1\n";
        Files.writeString(dir.resolve("Dockerfile"), dockerfile);
        Files.writeString(dir.resolve("pom.xml"), "<project>\n  <properties>\n</project>\n");

        UpdateResult result = update(".");

        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.error().orElseThrow().kind()).isEqualTo(ErrorKind.CONFIGURATION);
        assertThat(result.error().orElseThrow().render(Vocabulary.NEUTRAL))
                .contains(dir.resolve("pom.xml") + ":3")
                .contains("not well-formed XML")
                .contains("nothing was written");
        assertThat(Files.readString(dir.resolve("Dockerfile"))).isEqualTo(dockerfile);
    }

    @Test
    void aPomWithADoctypeIsRefusedNotExpanded() throws IOException {
        Files.writeString(
                dir.resolve("pom.xml"),
                "<!DOCTYPE project [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                        + "<project>&x;</project>\n");

        UpdateResult result = update("pom.xml");

        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.error().orElseThrow().render(Vocabulary.NEUTRAL))
                .contains("pom.xml:1")
                .doesNotContain("root:");
    }

    @Test
    void anXmlFileThatIsNoPomIsNamed() throws IOException {
        Files.writeString(dir.resolve("pom.xml"), "<settings/>\n");

        assertThat(update("pom.xml").error().orElseThrow().render(Vocabulary.NEUTRAL))
                .contains("is not a Maven POM")
                .contains("<settings>");
    }

    @Test
    void aDockerfileBuildKitRefusesIsAnErrorNamingTheFileAndNothingIsWritten() throws IOException {
        String pom =
                "<project><build><plugins><plugin><artifactId>jib-maven-plugin</artifactId>"
                        + "<configuration><from><image>127.0.0.1:1/base/app:1</image></from>"
                        + "</configuration></plugin></plugins></build></project>\n";
        Files.writeString(dir.resolve("pom.xml"), pom);
        Files.writeString(dir.resolve("Dockerfile"), "RUN true\n");

        UpdateResult result = update(".");

        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.error().orElseThrow().render(Vocabulary.NEUTRAL))
                .contains(dir.resolve("Dockerfile").toString());
        assertThat(Files.readString(dir.resolve("pom.xml"))).isEqualTo(pom);
    }

    @Test
    void aDirectoryWithNothingToUpdateIsAUsageError() throws IOException {
        Files.createDirectories(dir.resolve("empty"));

        UpdateResult result = update("empty");

        assertThat(result.error().orElseThrow().kind()).isEqualTo(ErrorKind.USAGE);
        assertThat(result.error().orElseThrow().render(Vocabulary.NEUTRAL))
                .contains("holds no Dockerfile and no pom.xml");
    }
}
