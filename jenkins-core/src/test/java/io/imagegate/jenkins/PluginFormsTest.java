package io.imagegate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.FixtureVulnerabilityDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The plugin's views for the snippet generator and the steps reference, read as files and held
 * against the parameter model: every step has a well-formed {@code config.jelly} with a field for
 * each of its parameters (and none other), list parameters as the text areas its descriptor splits
 * into lines, drop-downs only where the descriptor fills them; every parameter has its {@code
 * help-<parameter>.html} where Jenkins and structs look for it (the step's class or a superclass);
 * and each step's {@code help.html} stands alone, pointing at no file of this repository.
 */
class PluginFormsTest {
    private static final Path VIEWS =
            FixtureVulnerabilityDb.projectRoot()
                    .resolve("jenkins-plugin/src/main/resources/io/imagegate/jenkins/plugin");

    /** A reference to this repository's files, which a plugin's user does not have. */
    private static final Pattern REPOSITORY_FILE =
            Pattern.compile("(?i)docs/|\\.md\\b|github\\.com|examples/|jenkins-library/|readme");

    /** Each step's class chain within the plugin (the step class first), by kind. */
    private static Map<StepKind, List<String>> steps() throws IOException {
        Map<String, PluginSourcesTest.Source> sources = PluginSourcesTest.sources();
        Map<StepKind, List<String>> out = new LinkedHashMap<>();
        for (PluginSourcesTest.Source s : sources.values()) {
            Matcher d = PluginSourcesTest.DESCRIPTOR.matcher(s.text());
            if (d.find()) {
                out.put(
                        StepKind.valueOf(d.group(2)),
                        PluginSourcesTest.chain(sources, s.name()).stream()
                                .map(PluginSourcesTest.Source::name)
                                .toList());
            }
        }
        assertThat(out.keySet()).containsExactlyInAnyOrder(StepKind.values());
        return out;
    }

    private static Document xml(Path file) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(file.toFile());
        } catch (SAXException e) {
            throw new AssertionError(file + " is not well-formed XML: " + e.getMessage(), e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Element> elements(Document document, String namespace, String name) {
        NodeList nodes = document.getElementsByTagNameNS(namespace, name);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    @Test
    void everyParameterHasItsFieldInTheStepsConfigJelly() throws IOException {
        String descriptor =
                Files.readString(PluginSourcesTest.SOURCES.resolve("ImagegateStepDescriptor.java"));
        for (Map.Entry<StepKind, List<String>> step : steps().entrySet()) {
            StepKind kind = step.getKey();
            Path config = VIEWS.resolve(step.getValue().get(0)).resolve("config.jelly");
            assertThat(config).as(kind.functionName() + "'s form").isRegularFile();
            Document form = xml(config);

            // the parameter each control binds: its entry's field, or its own name "_.parameter"
            Map<String, Element> fields = new LinkedHashMap<>();
            for (Element entry : elements(form, "/lib/form", "entry")) {
                if (!entry.getAttribute("field").isEmpty()) {
                    assertThat(fields.put(entry.getAttribute("field"), entry))
                            .as(config + ": one field " + entry.getAttribute("field"))
                            .isNull();
                }
            }
            for (String control : List.of("textarea", "textbox", "checkbox", "number")) {
                for (Element e : elements(form, "/lib/form", control)) {
                    String name = e.getAttribute("name");
                    if (name.startsWith("_.")) {
                        assertThat(fields.put(name.substring(2), e))
                                .as(config + ": one field " + name)
                                .isNull();
                    }
                }
            }
            Set<String> parameters = new TreeSet<>();
            ParameterModel.of(kind).forEach(p -> parameters.add(p.name()));
            assertThat(new TreeSet<>(fields.keySet()))
                    .as(config + ": a field for each parameter, and none other")
                    .isEqualTo(parameters);

            for (ParameterModel.Parameter p : ParameterModel.of(kind)) {
                Element control = fields.get(p.name());
                if (p.isList()) {
                    // Stapler binds one text to a List<String> as one entry: the descriptor splits
                    // the text area by lines
                    assertThat(control.getLocalName())
                            .as(config + ": " + p.name() + " is a text area")
                            .isEqualTo("textarea");
                    assertThat(control.getAttribute("value"))
                            .as(config + ": " + p.name() + " shows one entry per line")
                            .isEqualTo("${descriptor.lines(instance." + p.name() + ")}");
                    Element entry = (Element) control.getParentNode();
                    assertThat(entry.getAttribute("help"))
                            .as(config + ": " + p.name() + "'s help")
                            .isEqualTo("${descriptor.getHelpFile('" + p.name() + "')}");
                }
            }
            // a drop-down needs the descriptor's doFill<Field>Items
            for (Element select : elements(form, "/lib/credentials", "select")) {
                String field = ((Element) select.getParentNode()).getAttribute("field");
                assertThat(descriptor)
                        .as(config + ": the drop-down " + field + " is filled")
                        .contains(
                                "public ListBoxModel doFill"
                                        + Character.toUpperCase(field.charAt(0))
                                        + field.substring(1)
                                        + "Items(");
                assertThat(ParameterModel.find(kind, field).orElseThrow().typeName())
                        .isEqualTo("String");
            }
        }
    }

    @Test
    void everyParameterHasItsHelpWhereJenkinsLooksForIt() throws IOException {
        Set<Path> used = new TreeSet<>();
        for (Map.Entry<StepKind, List<String>> step : steps().entrySet()) {
            for (ParameterModel.Parameter p : ParameterModel.of(step.getKey())) {
                // Descriptor.getHelpFile and structs' DescribableModel look in the class, then its
                // superclasses
                Path help =
                        step.getValue().stream()
                                .map(c -> VIEWS.resolve(c).resolve("help-" + p.name() + ".html"))
                                .filter(Files::isRegularFile)
                                .findFirst()
                                .orElseThrow(
                                        () ->
                                                new AssertionError(
                                                        step.getKey().functionName()
                                                                + ": no help-"
                                                                + p.name()
                                                                + ".html in "
                                                                + step.getValue()));
                used.add(help);
                assertThat(xml(help).getDocumentElement().getTextContent().strip())
                        .as(help.toString())
                        .isNotEmpty();
                assertThat(Files.readString(help))
                        .as(help + " refers to no file of this repository")
                        .doesNotContainPattern(REPOSITORY_FILE);
            }
        }
        try (Stream<Path> files = Files.walk(VIEWS)) {
            assertThat(
                            files.filter(f -> f.getFileName().toString().startsWith("help-"))
                                    .sorted()
                                    .toList())
                    .as("no help for a parameter that does not exist")
                    .containsExactlyElementsOf(used);
        }
    }

    @Test
    void eachStepsHelpStandsAlone() throws IOException {
        for (Map.Entry<StepKind, List<String>> step : steps().entrySet()) {
            Path help = VIEWS.resolve(step.getValue().get(0)).resolve("help.html");
            assertThat(help).isRegularFile();
            assertThat(xml(help).getDocumentElement().getLocalName()).isEqualTo("div");
            assertThat(Files.readString(help))
                    .as(help + " refers to no file of this repository")
                    .doesNotContainPattern(REPOSITORY_FILE);
        }
    }

    @Test
    void theDescriptorGivesStageViewALabel() throws IOException {
        String descriptor =
                Files.readString(PluginSourcesTest.SOURCES.resolve("ImagegateStepDescriptor.java"));
        assertThat(descriptor)
                .containsPattern(
                        "public String argumentsToString\\(@NonNull Map<String, Object> namedArgs\\) \\{\\s*"
                                + "return StepLabel\\.of\\(kind, namedArgs\\);");
    }
}
