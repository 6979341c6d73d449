package io.imagegate.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.api.ImageSource;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Build;
import org.apache.maven.model.Model;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a module's images are: its Dockerfiles, and Jib's base image as Jib itself would take it.
 */
class ProjectImagesTest {
    @TempDir Path dir;

    static MavenProject project(Path dir, Plugin... plugins) {
        Model model = new Model();
        Build build = new Build();
        for (Plugin p : plugins) {
            build.addPlugin(p);
        }
        model.setBuild(build);
        MavenProject project = new MavenProject(model);
        project.setFile(new File(dir.toFile(), "pom.xml"));
        return project;
    }

    static Plugin jib(String image, String executionImage) {
        Plugin jib = new Plugin();
        jib.setGroupId("com.google.cloud.tools");
        jib.setArtifactId("jib-maven-plugin");
        if (image != null) {
            jib.setConfiguration(from(image));
        }
        if (executionImage != null) {
            PluginExecution execution = new PluginExecution();
            execution.setConfiguration(from(executionImage));
            jib.addExecution(execution);
        }
        return jib;
    }

    static Xpp3Dom from(String image) {
        Xpp3Dom configuration = new Xpp3Dom("configuration");
        Xpp3Dom from = new Xpp3Dom("from");
        Xpp3Dom value = new Xpp3Dom("image");
        value.setValue(image);
        from.addChild(value);
        configuration.addChild(from);
        return configuration;
    }

    static MavenSession session(String jibFromImage) {
        MavenSession session = MavenContractTest.MavenFrontEnd.session(Path.of("."));
        if (jibFromImage != null) {
            session.getRequest().getUserProperties().setProperty("jib.from.image", jibFromImage);
        }
        return session;
    }

    @Test
    void jibsBaseImageComesFromTheCommandLineThenThePropertyThenItsConfiguration() {
        MavenProject project =
                project(dir, jib("registry://registry.example.com/base/jre:21", null));
        assertThat(ProjectImages.jibBaseImage(project, session(null)))
                .get()
                .satisfies(
                        s -> {
                            assertThat(s.reference()).isEqualTo("registry.example.com/base/jre:21");
                            assertThat(s.what()).isEqualTo("jib-maven-plugin <from><image>");
                            assertThat(s.file()).endsWith("pom.xml");
                        });

        project.getProperties().setProperty("jib.from.image", "docker://eclipse-temurin:21-jre");
        assertThat(ProjectImages.jibBaseImage(project, session(null)))
                .get()
                .extracting(ImageSource::reference, ImageSource::what)
                .containsExactly("eclipse-temurin:21-jre", "the <jib.from.image> property");

        assertThat(ProjectImages.jibBaseImage(project, session("registry.example.com/cli/jre:21")))
                .get()
                .extracting(ImageSource::reference, ImageSource::file, ImageSource::what)
                .containsExactly(
                        "registry.example.com/cli/jre:21", "the command line", "-Djib.from.image");
    }

    @Test
    void anExecutionsImageCountsAndWithoutAnyJibUsesItsDefaultBaseImage() {
        assertThat(
                        ProjectImages.jibBaseImage(
                                project(dir, jib(null, "registry.example.com/base/jre:17")),
                                session(null)))
                .get()
                .extracting(ImageSource::reference)
                .isEqualTo("registry.example.com/base/jre:17");
        assertThat(ProjectImages.jibBaseImage(project(dir, jib(null, null)), session(null)))
                .get()
                .extracting(ImageSource::reference)
                .isEqualTo("");
        assertThat(
                        ProjectImages.jibBaseImage(
                                project(dir, jib("tar://base.tar", null)), session(null)))
                .get()
                .extracting(ImageSource::reference)
                .as("a tarball is no registry image: the gate refuses it")
                .isEqualTo("tar://base.tar");
    }

    @Test
    void aModuleWithoutJibHasNoJibImage() {
        assertThat(ProjectImages.jibBaseImage(project(dir), session("ignored:1")))
                .isEqualTo(Optional.empty());
        assertThat(ProjectImages.jibBaseImage(null, session(null))).isEmpty();
    }

    @Test
    void defaultDockerfilesAreTheConventionalOnesThatExistAndConfiguredOnesAreTakenAsGiven()
            throws IOException {
        assertThat(ProjectImages.dockerfiles(List.of(), dir)).isEmpty();
        Files.createDirectories(dir.resolve("src/main/docker"));
        Files.writeString(dir.resolve("src/main/docker/Dockerfile"), "FROM scratch\n");
        assertThat(ProjectImages.dockerfiles(List.of(), dir))
                .containsExactly("src/main/docker/Dockerfile");
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        assertThat(ProjectImages.dockerfiles(List.of(), dir))
                .containsExactly("Dockerfile", "src/main/docker/Dockerfile");
        assertThat(ProjectImages.dockerfiles(List.of("missing/*.Dockerfile"), dir))
                .containsExactly("missing/*.Dockerfile");
    }
}
