package io.imagegate.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.Field;
import io.imagegate.message.Fix;
import io.imagegate.message.Operation;
import java.io.File;
import java.nio.file.Path;
import org.apache.maven.model.Build;
import org.apache.maven.model.Model;
import org.apache.maven.model.Plugin;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.junit.jupiter.api.Test;

/**
 * A fix never says {@code -D} for a parameter the POM sets (Maven would ignore it): one the POM
 * sets as needed is left out, one it sets otherwise is an edit of the POM.
 */
class PomFixesTest {
    static final Path BASEDIR = Path.of("/work/service").toAbsolutePath();
    static final String KEY = "io.imagegate:registry-maven-plugin";

    private static PomFixes fixes(Xpp3Dom configuration) {
        Model model = new Model();
        model.setBuild(new Build());
        if (configuration != null) {
            Plugin plugin = new Plugin();
            plugin.setGroupId("io.imagegate");
            plugin.setArtifactId("registry-maven-plugin");
            plugin.setConfiguration(configuration);
            model.getBuild().addPlugin(plugin);
        }
        MavenProject project = new MavenProject(model);
        project.setFile(new File(BASEDIR.toFile(), "pom.xml"));
        return new PomFixes(project, KEY, BASEDIR);
    }

    private static Xpp3Dom configuration(String... nameValues) {
        Xpp3Dom dom = new Xpp3Dom("configuration");
        for (int i = 0; i < nameValues.length; i += 2) {
            Xpp3Dom child = new Xpp3Dom(nameValues[i]);
            child.setValue(nameValues[i + 1]);
            dom.addChild(child);
        }
        return dom;
    }

    static final Fix REWRITE =
            Fix.of(Operation.REWRITE)
                    .with(Field.MAP, "docker.io/library=r.example/base")
                    .with(Field.PIN, "true")
                    .with(Field.DOCKERFILES, BASEDIR.resolve("Dockerfile").toString());

    @Test
    void withoutThePluginInThePomEveryInputIsAProperty() {
        assertThat(fixes(null).fix(REWRITE))
                .isEqualTo(
                        "mvn registry:rewrite -Dregistry.map=docker.io/library=r.example/base"
                                + " -Dregistry.dockerfiles=Dockerfile -Dregistry.pin");
    }

    @Test
    void whatThePomSetsAsNeededIsLeftOut() {
        assertThat(
                        fixes(
                                        configuration(
                                                "map",
                                                "docker.io/library=r.example/base",
                                                "dockerfiles",
                                                "*"))
                                .fix(REWRITE))
                .isEqualTo("mvn registry:rewrite -Dregistry.pin");
    }

    @Test
    void whatThePomSetsOtherwiseIsAnEditOfThePomNeverAProperty() {
        String fix =
                fixes(configuration("map", "=r.example/mirror", "policy", "policy.yaml"))
                        .fix(
                                Fix.of(Operation.VET)
                                        .with(Field.SOURCE, "docker.io/library/alpine:3.20")
                                        .with(Field.TARGET, "r.example/base/alpine:3.20")
                                        .with(
                                                Field.POLICY,
                                                BASEDIR.resolve("policy.yaml").toString()));
        assertThat(fix)
                .isEqualTo(
                        "mvn registry:vet -Dregistry.source=docker.io/library/alpine:3.20"
                                + " -Dregistry.target=r.example/base/alpine:3.20");
        String rewrite = fixes(configuration("map", "=r.example/mirror")).fix(REWRITE);
        assertThat(rewrite)
                .startsWith(
                        "set <map>docker.io/library=r.example/base</map> in the configuration of"
                                + " registry:rewrite in "
                                + BASEDIR.resolve("pom.xml"))
                .endsWith(
                        "then mvn registry:rewrite -Dregistry.dockerfiles=Dockerfile -Dregistry.pin")
                .doesNotContain("-Dregistry.map");
    }
}
