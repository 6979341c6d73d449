package io.imagegate.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.Field;
import io.imagegate.message.Fix;
import io.imagegate.message.Operation;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Every input the library may name is spelled as a real parameter of some goal, bound to the
 * property it shows.
 */
class VocabularyTest {
    /** parameter name → its user property, over every goal of the generated plugin descriptor. */
    static Map<String, String> parameters() throws Exception {
        Map<String, String> out = new HashMap<>();
        for (Element mojo : PluginDescriptor.mojos()) {
            Element configuration = PluginDescriptor.child(mojo, "configuration");
            for (Element parameter :
                    PluginDescriptor.children(
                            PluginDescriptor.child(mojo, "parameters"), "parameter")) {
                String name = PluginDescriptor.text(parameter, "name");
                Element expression =
                        configuration == null ? null : PluginDescriptor.child(configuration, name);
                if (name.equals("check") && PluginDescriptor.text(mojo, "goal").equals("update")) {
                    continue; // its own property, spelled apart (UPDATE_CHECK)
                }
                out.put(
                        name,
                        expression == null
                                ? ""
                                : expression.getTextContent().replaceAll("^\\$\\{|}$", ""));
            }
        }
        return out;
    }

    @Test
    void everyFieldIsSpelledAsARealParameterWithItsProperty() throws Exception {
        Map<String, String> parameters = parameters();
        for (Field field : Field.values()) {
            if (MavenVocabulary.NOT_OFFERED.contains(field)) {
                assertThat(MavenVocabulary.INSTANCE.field(field))
                        .contains("not offered by the Maven plugin");
                continue;
            }
            String parameter = MavenVocabulary.parameter(field);
            assertThat(parameters).as("the parameter of " + field).containsKey(parameter);
            assertThat(parameters.get(parameter))
                    .as("the property of " + field)
                    .isEqualTo(MavenVocabulary.property(field));
            assertThat(MavenVocabulary.INSTANCE.field(field))
                    .contains("<" + parameter + ">/-D" + MavenVocabulary.property(field));
        }
    }

    @Test
    void thePluginsOwnSwitchesAreSpelledAsRealParametersWithTheirProperties() throws Exception {
        Map<String, String> parameters = parameters();
        MavenVocabulary.OWN_SWITCHES.forEach(
                (parameter, property) -> {
                    assertThat(parameters).as(parameter).containsEntry(parameter, property);
                    assertThat(MavenVocabulary.ownSwitch(parameter))
                            .isEqualTo("<" + parameter + ">/-D" + property);
                });
    }

    @Test
    void onlyTheInputsOfOperationsWithoutAGoalAreNotOffered() throws Exception {
        Set<String> goals = new HashSet<>();
        for (Element mojo : PluginDescriptor.mojos()) {
            goals.add(PluginDescriptor.text(mojo, "goal"));
        }
        assertThat(goals)
                .containsExactlyInAnyOrder(
                        "import", "vet", "scan", "sync", "rewrite", "gate", "update", "help");
        assertThat(MavenVocabulary.NOT_OFFERED)
                .containsExactlyInAnyOrder(
                        Field.SHARD, Field.SUMMARY_JSON, Field.RESCAN_OLDER_THAN, Field.VERIFY);
    }

    @Test
    void updatesInputsAreItsParametersWithItsProperties() throws Exception {
        Map<String, Element> update = DescriptorTest.parameters().get("update");
        Map<String, String> properties = properties("update");
        for (Field field :
                new Field[] {
                    Field.PATCH,
                    Field.SUMMARY,
                    Field.COMMIT,
                    Field.BRANCH,
                    Field.RENOVATE_DATASOURCE
                }) {
            assertThat(update).containsKey(MavenVocabulary.parameter(field));
            assertThat(properties.get(MavenVocabulary.parameter(field)))
                    .isEqualTo(MavenVocabulary.property(field))
                    .startsWith("registry.update.");
        }
        // its check is rewrite's parameter name with a property of its own
        assertThat(properties).containsEntry("check", "registry.update.check");
        assertThat(properties("rewrite")).containsEntry("check", "registry.rewrite.check");
        assertThat(MavenVocabulary.UPDATE_CHECK).isEqualTo("<check>/-Dregistry.update.check");
    }

    /** One goal's parameter name → its user property. */
    private static Map<String, String> properties(String goal) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (Element mojo : PluginDescriptor.mojos()) {
            if (!PluginDescriptor.text(mojo, "goal").equals(goal)) {
                continue;
            }
            Element configuration = PluginDescriptor.child(mojo, "configuration");
            for (Element parameter :
                    PluginDescriptor.children(
                            PluginDescriptor.child(mojo, "parameters"), "parameter")) {
                String name = PluginDescriptor.text(parameter, "name");
                Element expression =
                        configuration == null ? null : PluginDescriptor.child(configuration, name);
                out.put(
                        name,
                        expression == null
                                ? ""
                                : expression.getTextContent().replaceAll("^\\$\\{|}$", ""));
            }
        }
        return out;
    }

    @Test
    void fixesAreMavenCommandsToRun() {
        assertThat(
                        MavenVocabulary.INSTANCE.fix(
                                Fix.of(Operation.VET)
                                        .with(Field.SOURCE, "alpine:3.20")
                                        .with(Field.TARGET, "r.example/a:3.20")))
                .isEqualTo(
                        "mvn registry:vet -Dregistry.source=alpine:3.20 -Dregistry.target=r.example/a:3.20");
        assertThat(
                        MavenVocabulary.INSTANCE.fix(
                                Fix.of(Operation.VET).with(Field.TARGET, "r.example/a:1")))
                .isEqualTo(
                        "mvn registry:vet -Dregistry.source=<source> -Dregistry.target=r.example/a:1");
        assertThat(
                        MavenVocabulary.INSTANCE.fix(
                                Fix.of(Operation.REWRITE)
                                        .with(Field.MAP, "=r.example/m")
                                        .with(Field.PIN, "true")
                                        .with(Field.DOCKERFILES, "build/Dockerfile")))
                .isEqualTo(
                        "mvn registry:rewrite -Dregistry.map==r.example/m -Dregistry.dockerfiles=build/Dockerfile -Dregistry.pin");
        assertThat(MavenVocabulary.INSTANCE.fix(Fix.of(Operation.IMPORT).with(Field.SOURCE, "a b")))
                .isEqualTo("mvn registry:import -Dregistry.source='a b'");
        assertThat(MavenVocabulary.INSTANCE.field(Field.CHECK))
                .isEqualTo("<check>/-Dregistry.rewrite.check");
        assertThat(MavenVocabulary.INSTANCE.field(Field.REGISTRY_CREDENTIALS))
                .contains("settings.xml <server>");
    }

    /** The plugin descriptor the build generated (target/classes/META-INF/maven/plugin.xml). */
    static final class PluginDescriptor {
        static Iterable<Element> mojos() throws Exception {
            try (InputStream in =
                    VocabularyTest.class.getResourceAsStream("/META-INF/maven/plugin.xml")) {
                Document document =
                        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
                return children(child(document.getDocumentElement(), "mojos"), "mojo");
            }
        }

        static Element child(Element parent, String name) {
            if (parent == null) {
                return null;
            }
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(name)) {
                    return e;
                }
            }
            return null;
        }

        static java.util.List<Element> children(Element parent, String name) {
            java.util.List<Element> out = new java.util.ArrayList<>();
            if (parent == null) {
                return out;
            }
            NodeList nodes = parent.getChildNodes();
            for (int i = 0; i < nodes.getLength(); i++) {
                if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
                    out.add(e);
                }
            }
            return out;
        }

        static String text(Element parent, String name) {
            Element e = child(parent, name);
            return e == null ? null : e.getTextContent().strip();
        }
    }
}
