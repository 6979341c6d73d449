package io.imagegate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.testing.FixtureVulnerabilityDb;
import java.beans.Introspector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plugin's step classes (jenkins-plugin, which only a build with the Jenkins repository
 * compiles) read as source and held against this module's parameter model: every
 * {@code @DataBoundConstructor} parameter and {@code @DataBoundSetter} is a model property of the
 * same name and type, delegated to the model, with a getter for the snippet generator; and every
 * model property is one. The two cannot drift apart.
 */
class PluginSourcesTest {
    static final Path SOURCES =
            FixtureVulnerabilityDb.projectRoot()
                    .resolve("jenkins-plugin/src/main/java/io/imagegate/jenkins/plugin");

    private static final Pattern CLASS =
            Pattern.compile(
                    "public (?:abstract |final )?class (\\w+)(?:<[^>]*>)?(?: extends (\\w+))?");
    private static final Pattern CONSTRUCTOR =
            Pattern.compile(
                    "@DataBoundConstructor\\s+public (\\w+)\\(([^)]*)\\)\\s*\\{\\s*super\\(new (\\w+)\\(([^)]*)\\)\\);");
    private static final Pattern SETTER =
            Pattern.compile(
                    "@DataBoundSetter\\s+public void set(\\w+)\\(([\\w<>, ]+?) (\\w+)\\)\\s*\\{\\s*parameters\\.set(\\w+)\\((\\w+)\\);\\s*}");
    private static final Pattern ANY_SETTER = Pattern.compile("(?m)^\\s*@DataBoundSetter\\s*$");
    private static final Pattern GETTER =
            Pattern.compile(
                    "public ([\\w<>, ]+?) (get|is)(\\w+)\\(\\)\\s*\\{\\s*return parameters\\.(get|is)(\\w+)\\(\\);\\s*}");
    static final Pattern DESCRIPTOR =
            Pattern.compile(
                    "@Extension\\s+@Symbol\\(\"(\\w+)\"\\)\\s+public static final class DescriptorImpl extends"
                            + " ImagegateStepDescriptor \\{\\s*public DescriptorImpl\\(\\) \\{\\s*super\\(StepKind\\.(\\w+)\\);");

    /** One class of the plugin, as read. */
    record Source(String name, String parent, String text) {}

    static Map<String, Source> sources() throws IOException {
        assertThat(SOURCES).as("the plugin's sources").isDirectory();
        Map<String, Source> out = new HashMap<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher m = CLASS.matcher(text);
                if (m.find()) {
                    out.put(m.group(1), new Source(m.group(1), m.group(2), text));
                }
            }
        }
        return out;
    }

    /** The class and its superclasses within the plugin, most derived first. */
    static List<Source> chain(Map<String, Source> sources, String name) {
        List<Source> out = new ArrayList<>();
        for (Source s = sources.get(name);
                s != null;
                s = s.parent() == null ? null : sources.get(s.parent())) {
            out.add(s);
        }
        return out;
    }

    @Test
    void everyStepBindsExactlyItsModelsParametersAndDelegatesThem() throws IOException {
        Map<String, Source> sources = sources();
        Map<StepKind, Source> steps = new LinkedHashMap<>();
        for (Source s : sources.values()) {
            Matcher d = DESCRIPTOR.matcher(s.text());
            if (d.find()) {
                StepKind kind = StepKind.valueOf(d.group(2));
                assertThat(d.group(1)).as("@Symbol of " + s.name()).isEqualTo(kind.functionName());
                assertThat(steps.put(kind, s)).as("one step class per kind: " + kind).isNull();
            }
        }
        assertThat(steps.keySet()).containsExactlyInAnyOrder(StepKind.values());

        for (Map.Entry<StepKind, Source> step : steps.entrySet()) {
            StepKind kind = step.getKey();
            String where = step.getValue().name();
            List<ParameterModel.Parameter> model = ParameterModel.of(kind);

            Matcher c = CONSTRUCTOR.matcher(step.getValue().text());
            assertThat(c.find())
                    .as(where + " has a @DataBoundConstructor that creates its model")
                    .isTrue();
            assertThat(c.group(3))
                    .as(where + "'s model")
                    .isEqualTo(kind.parametersType().getSimpleName());
            List<String> required =
                    model.stream()
                            .filter(ParameterModel.Parameter::required)
                            .map(p -> p.typeName() + " " + p.name())
                            .toList();
            assertThat(split(c.group(2))).as(where + " constructor parameters").isEqualTo(required);
            assertThat(split(c.group(4)))
                    .as(where + " passes them on")
                    .isEqualTo(
                            model.stream()
                                    .filter(ParameterModel.Parameter::required)
                                    .map(ParameterModel.Parameter::name)
                                    .toList());

            Map<String, String> setters = new LinkedHashMap<>();
            Map<String, String> getters = new LinkedHashMap<>();
            int annotated = 0;
            for (Source s : chain(sources, where)) {
                annotated += count(ANY_SETTER, s.text());
                Matcher m = SETTER.matcher(s.text());
                while (m.find()) {
                    String name = Introspector.decapitalize(m.group(1));
                    assertThat(m.group(4))
                            .as(s.name() + ".set" + m.group(1) + " delegates to the model's setter")
                            .isEqualTo(m.group(1));
                    assertThat(m.group(5))
                            .as(s.name() + ".set" + m.group(1) + " passes its argument")
                            .isEqualTo(m.group(3));
                    setters.put(name, m.group(2));
                }
                Matcher g = GETTER.matcher(s.text());
                while (g.find()) {
                    assertThat(g.group(2) + g.group(3))
                            .as(s.name() + " getter delegates to the same model getter")
                            .isEqualTo(g.group(4) + g.group(5));
                    getters.put(Introspector.decapitalize(g.group(3)), g.group(1));
                }
            }
            assertThat(setters)
                    .as(where + ": every @DataBoundSetter delegates to the model")
                    .hasSize(annotated);

            Map<String, String> optional = new LinkedHashMap<>();
            model.stream()
                    .filter(p -> !p.required())
                    .forEach(p -> optional.put(p.name(), p.typeName()));
            assertThat(setters)
                    .as(where + " @DataBoundSetters against the model")
                    .containsExactlyInAnyOrderEntriesOf(optional);

            for (ParameterModel.Parameter p : model) {
                assertThat(getters)
                        .as(
                                where
                                        + " has a getter for "
                                        + p.name()
                                        + " (the snippet generator reads it)")
                        .containsEntry(p.name(), p.typeName());
            }
        }
    }

    @Test
    void theExampleJenkinsfilesUseOnlyTheStepsArguments() throws IOException {
        for (String example :
                List.of(
                        "examples/jenkins/plugin/Jenkinsfile",
                        "examples/jenkins/library/Jenkinsfile")) {
            String text = Files.readString(FixtureVulnerabilityDb.projectRoot().resolve(example));
            Matcher call = Pattern.compile("(imagegate\\w+)\\(").matcher(text);
            int calls = 0;
            while (call.find()) {
                StepKind kind =
                        java.util.Arrays.stream(StepKind.values())
                                .filter(k -> k.functionName().equals(call.group(1)))
                                .findFirst()
                                .orElseThrow(
                                        () ->
                                                new AssertionError(
                                                        example
                                                                + " calls "
                                                                + call.group(1)
                                                                + ", which is no step"));
                List<String> known =
                        ParameterModel.of(kind).stream()
                                .map(ParameterModel.Parameter::name)
                                .toList();
                for (String argument : topLevelArguments(text, call.end())) {
                    assertThat(known)
                            .as(example + ": " + kind.functionName() + " argument")
                            .contains(argument);
                }
                calls++;
            }
            assertThat(calls).as(example).isGreaterThanOrEqualTo(2);
        }
    }

    /**
     * The names of the named arguments of the call whose argument list starts at {@code from}
     * (nested brackets skipped).
     */
    private static List<String> topLevelArguments(String text, int from) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder word = new StringBuilder();
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                quoted = !quoted;
            } else if (!quoted && (c == '(' || c == '[')) {
                depth++;
            } else if (!quoted && (c == ')' || c == ']')) {
                if (depth-- == 0) {
                    break;
                }
            } else if (!quoted && depth == 0 && c == ':' && word.length() > 0) {
                out.add(word.toString());
            }
            if (Character.isJavaIdentifierPart(c)) {
                word.append(c);
            } else if (c != ':') {
                word.setLength(0);
            }
        }
        return out;
    }

    private static List<String> split(String parameters) {
        List<String> out = new ArrayList<>();
        for (String p : parameters.split(",(?![^<]*>)")) {
            if (!p.isBlank()) {
                out.add(p.strip().replaceAll("\\s+", " "));
            }
        }
        return out;
    }

    private static int count(Pattern pattern, String text) {
        int n = 0;
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            n++;
        }
        return n;
    }
}
