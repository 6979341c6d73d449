package io.imagegate.maven;

import io.imagegate.api.ImageSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.InputLocation;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * The images a module's build uses, found where Maven keeps them: its Dockerfiles (the configured
 * ones, else {@code Dockerfile} and {@code src/main/docker/Dockerfile} where they exist) and the
 * base image configured for Jib in the effective model (with where it is configured).
 */
final class ProjectImages {
    static final String JIB = "com.google.cloud.tools:jib-maven-plugin";
    static final String JIB_PROPERTY = "jib.from.image";
    static final List<String> DEFAULT_DOCKERFILES =
            List.of("Dockerfile", "src/main/docker/Dockerfile");

    private ProjectImages() {}

    /**
     * The configured Dockerfiles (paths or globs, as given), else the default ones that exist in
     * {@code basedir}.
     */
    static List<String> dockerfiles(List<String> configured, Path basedir) {
        if (!configured.isEmpty()) {
            return configured;
        }
        return DEFAULT_DOCKERFILES.stream()
                .filter(f -> Files.isRegularFile(basedir.resolve(f)))
                .toList();
    }

    /**
     * Jib's base image, where Jib takes it from: {@code -Djib.from.image}, then the project
     * property, then {@code <from><image>} of the plugin (or of an execution). A Jib plugin with
     * none of them uses Jib's default base image: reported with an empty reference. Empty when the
     * module does not use Jib.
     */
    static Optional<ImageSource> jibBaseImage(MavenProject project, MavenSession session) {
        if (project == null || project.getBuildPlugins() == null) {
            return Optional.empty();
        }
        Plugin jib =
                project.getBuildPlugins().stream()
                        .filter(p -> JIB.equals(p.getKey()))
                        .findFirst()
                        .orElse(null);
        if (jib == null) {
            return Optional.empty();
        }
        String pom = project.getFile() == null ? "pom.xml" : project.getFile().getPath();
        String what = "jib-maven-plugin <from><image>";
        for (Properties properties :
                session == null
                        ? List.<Properties>of()
                        : List.of(session.getUserProperties(), session.getSystemProperties())) {
            String value = properties == null ? null : properties.getProperty(JIB_PROPERTY);
            if (value != null) {
                return Optional.of(
                        new ImageSource(
                                jibReference(value), "the command line", 0, "-D" + JIB_PROPERTY));
            }
        }
        String property =
                project.getProperties() == null
                        ? null
                        : project.getProperties().getProperty(JIB_PROPERTY);
        if (property != null) {
            InputLocation properties = project.getModel().getLocation("properties");
            InputLocation at = properties == null ? null : properties.getLocation(JIB_PROPERTY);
            return Optional.of(
                    new ImageSource(
                            jibReference(property),
                            file(at, pom),
                            line(at),
                            "the <" + JIB_PROPERTY + "> property"));
        }
        List<Object> configurations = new ArrayList<>();
        configurations.add(jib.getConfiguration());
        for (PluginExecution execution : jib.getExecutions()) {
            configurations.add(execution.getConfiguration());
        }
        for (Object configuration : configurations) {
            Xpp3Dom image = child(child(configuration, "from"), "image");
            if (image != null && image.getValue() != null && !image.getValue().isBlank()) {
                InputLocation at =
                        image.getInputLocation() instanceof InputLocation l
                                ? l
                                : jib.getLocation("");
                return Optional.of(
                        new ImageSource(
                                jibReference(image.getValue()), file(at, pom), line(at), what));
            }
        }
        InputLocation at = jib.getLocation("");
        return Optional.of(new ImageSource("", file(at, pom), line(at), what));
    }

    /**
     * The image reference in Jib's notation: {@code registry://} and {@code docker://} (the local
     * daemon's copy of an image) name an image; anything else ({@code tar://}) is left as written,
     * and the gate refuses it as unresolved.
     */
    static String jibReference(String value) {
        String v = value.strip();
        for (String prefix : List.of("registry://", "docker://")) {
            if (v.startsWith(prefix)) {
                return v.substring(prefix.length());
            }
        }
        return v;
    }

    private static Xpp3Dom child(Object dom, String name) {
        return dom instanceof Xpp3Dom d ? d.getChild(name) : null;
    }

    private static String file(InputLocation at, String fallback) {
        return at != null && at.getSource() != null && at.getSource().getLocation() != null
                ? at.getSource().getLocation()
                : fallback;
    }

    private static int line(InputLocation at) {
        return at == null ? 0 : Math.max(0, at.getLineNumber());
    }
}
